//! The entry lexer of the zone reader ([`super::parse`]): zone text split into tokens the way
//! hickory-proto 0.26's zone lexer splits it, each token kept as a byte span of the text (no copy),
//! so that every error can name its line and column.

use hickory_proto::serialize::txt::LexerError;

/// What the lexer found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Tok {
    /// Whitespace at the start of a line (the owner is the previous one).
    Blank,
    /// End of line (outside `( … )` and quotes).
    Eol,
    /// `@`.
    At,
    /// `$INCLUDE`.
    Include,
    /// `$ORIGIN`.
    Origin,
    /// `$TTL`.
    Ttl,
    /// A word.
    Word,
    /// A quoted string (the span includes the quotes).
    Quoted,
    /// `( … )` (the span includes the parentheses).
    List,
}

/// A token and its byte span in the text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Lexed {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// A lexer error and where it happened.
pub(super) struct LexFail {
    pub(super) err: LexerError,
    pub(super) at: usize,
}

/// Splits zone text into tokens the way hickory-proto 0.26's zone lexer does (a `(` opens a group
/// only at the start of a token, quotes are not special inside a group, `)` outside a group and
/// control characters are errors), keeping each token's span instead of copying it.
pub(super) struct Lexer<'a> {
    text: &'a str,
    pos: usize,
    line_start: bool,
}

impl<'a> Lexer<'a> {
    pub(super) fn new(text: &'a str) -> Self {
        Lexer {
            text,
            pos: 0,
            line_start: true,
        }
    }

    pub(super) fn peek(&self) -> Option<char> {
        let b = *self.text.as_bytes().get(self.pos)?;
        if b < 0x80 {
            Some(char::from(b))
        } else {
            self.text[self.pos..].chars().next()
        }
    }

    pub(super) fn bump(&mut self, c: char) {
        self.pos += c.len_utf8();
    }

    pub(super) fn skip_comment(&mut self) {
        self.pos = self.text[self.pos..]
            .find('\n')
            .map_or(self.text.len(), |n| self.pos + n);
    }

    pub(super) fn fail<T>(&self, err: LexerError, at: usize) -> Result<T, LexFail> {
        Err(LexFail { err, at })
    }

    pub(super) fn next(&mut self) -> Result<Option<Lexed>, LexFail> {
        loop {
            let start = self.pos;
            let Some(c) = self.peek() else {
                return Ok(None);
            };
            let token = |l: &Self, tok| {
                Ok(Some(Lexed {
                    tok,
                    start,
                    end: l.pos,
                }))
            };
            if std::mem::take(&mut self.line_start) && c != '\n' && c != '\r' && c.is_whitespace() {
                self.bump(c);
                return token(self, Tok::Blank);
            }
            match c {
                '\n' => {
                    self.bump(c);
                    self.line_start = true;
                    return token(self, Tok::Eol);
                }
                '\r' => {
                    self.bump(c);
                    match self.peek() {
                        Some('\n') => {
                            self.bump('\n');
                            self.line_start = true;
                            return token(self, Tok::Eol);
                        }
                        Some(x) => return self.fail(LexerError::IllegalCharacter(x), self.pos),
                        None => return self.fail(LexerError::EOF, start),
                    }
                }
                '@' => {
                    self.bump(c);
                    return token(self, Tok::At);
                }
                '(' => {
                    self.bump(c);
                    self.list(start)?;
                    return token(self, Tok::List);
                }
                ')' => return self.fail(LexerError::IllegalCharacter(c), start),
                '$' => {
                    self.bump(c);
                    while let Some(x @ 'A'..='Z') = self.peek() {
                        self.bump(x);
                    }
                    return match &self.text[start + 1..self.pos] {
                        "INCLUDE" => token(self, Tok::Include),
                        "ORIGIN" => token(self, Tok::Origin),
                        "TTL" => token(self, Tok::Ttl),
                        other => {
                            self.fail(LexerError::UnrecognizedDollar(other.to_string()), start)
                        }
                    };
                }
                '"' => {
                    self.bump(c);
                    loop {
                        match self.peek() {
                            None => return self.fail(LexerError::UnclosedQuotedString, start),
                            Some('"') => {
                                self.bump('"');
                                break;
                            }
                            Some('\\') => {
                                self.bump('\\');
                                if let Some(x) = self.peek() {
                                    self.bump(x);
                                }
                            }
                            Some(x) => self.bump(x),
                        }
                    }
                    return token(self, Tok::Quoted);
                }
                ';' => self.skip_comment(),
                c if c.is_whitespace() => self.bump(c),
                c if !c.is_control() => {
                    self.word(false)?;
                    return token(self, Tok::Word);
                }
                c => return self.fail(LexerError::UnrecognizedChar(c), start),
            }
        }
    }

    /// The rest of a word: up to whitespace, `;` or `)` (an error outside a group).
    pub(super) fn word(&mut self, in_list: bool) -> Result<(), LexFail> {
        while let Some(c) = self.peek() {
            if c == ')' && !in_list {
                return self.fail(LexerError::IllegalCharacter(c), self.pos);
            }
            if c.is_whitespace() || c == ')' || c == ';' {
                break;
            }
            if c.is_control() {
                return self.fail(LexerError::UnrecognizedChar(c), self.pos);
            }
            self.bump(c);
        }
        Ok(())
    }

    /// The rest of a `( … )` group, line ends and comments included.
    pub(super) fn list(&mut self, start: usize) -> Result<(), LexFail> {
        loop {
            match self.peek() {
                None => return self.fail(LexerError::UnclosedList, start),
                Some(';') => self.skip_comment(),
                Some(')') => {
                    self.bump(')');
                    return Ok(());
                }
                Some(c) if c.is_whitespace() => self.bump(c),
                Some(c) if !c.is_control() => self.word(true)?,
                Some(c) => return self.fail(LexerError::UnrecognizedChar(c), self.pos),
            }
        }
    }
}
