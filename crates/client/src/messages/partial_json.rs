//! [`PartialJson`]: the value of a JSON text that is still arriving, kept up
//! to date fragment by fragment.
//!
//! A tool call's input streams as `input_json_delta` fragments of one JSON
//! text. Re-parsing the whole text after each fragment (what the official
//! SDKs do) costs O(n²) over a long input; here each fragment is lexed once
//! and written into a value tree in place, so the cost is linear in the
//! input and reading the value after any fragment is free.
//!
//! The value is the input "closed at the cut": open objects and arrays end
//! where the text ends, a string value being written holds the characters
//! so far, a number its longest valid prefix (`12.` reads `12`), and what
//! cannot have a value yet (a key without its value, `tr` of `true`, a lone
//! `-`) is left out.

use serde_json::{Map, Number, Value};

/// The live value of a JSON text fed in fragments.
#[derive(Debug, Default, Clone)]
pub(crate) struct PartialJson {
    root: Option<Value>,
    /// The open containers, outermost first.
    stack: Vec<Frame>,
    lex: Lex,
    /// The text stopped being JSON: the value stays as it was.
    failed: bool,
}

#[derive(Debug, Clone)]
enum Frame {
    Object {
        /// The key whose value is being read, once its string has ended.
        key: Option<String>,
        state: Expect,
    },
    Array {
        state: Expect,
    },
}

/// What a container expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// The first member, or the end (`{` or `[` just read).
    FirstOrEnd,
    /// A member after a comma.
    Member,
    /// `:` after a key.
    Colon,
    /// A value after `:`.
    Value,
    /// `,` or the end, after a member.
    CommaOrEnd,
}

#[derive(Debug, Default, Clone)]
enum Lex {
    /// Between tokens.
    #[default]
    Between,
    /// Inside a string: a key (its text so far) or a value (written in place).
    Str {
        key: Option<String>,
        /// A `\` escape not complete yet, raw (`\u00`).
        escape: String,
    },
    /// A number's text so far, and whether it is in the tree yet.
    Number { text: String, placed: bool },
    /// A literal's text so far (`tr`).
    Literal(String),
}

impl PartialJson {
    /// A parser that has read `text`.
    pub(crate) fn of(text: &str) -> Self {
        let mut partial = Self::default();
        partial.push(text);
        partial
    }

    /// The value so far; `None` before any value has begun.
    pub(crate) fn value(&self) -> Option<&Value> {
        self.root.as_ref()
    }

    /// Reads the next fragment of the text.
    pub(crate) fn push(&mut self, fragment: &str) {
        let mut rest = fragment;
        while !rest.is_empty() && !self.failed {
            rest = match self.step(rest) {
                Some(rest) => rest,
                None => {
                    self.failed = true;
                    return;
                }
            };
        }
        if let Lex::Number { .. } = self.lex {
            self.update_number();
        }
    }

    /// Consumes a prefix of `text`; `None` when the text is not JSON.
    fn step<'t>(&mut self, text: &'t str) -> Option<&'t str> {
        match &mut self.lex {
            Lex::Str { .. } => self.string(text),
            Lex::Number { text: number, .. } => {
                let end = text
                    .find(|c: char| !matches!(c, '0'..='9' | '.' | 'e' | 'E' | '+' | '-'))
                    .unwrap_or(text.len());
                number.push_str(&text[..end]);
                if end < text.len() {
                    self.end_number()?;
                }
                Some(&text[end..])
            }
            Lex::Literal(word) => {
                let end = text
                    .find(|c: char| !c.is_ascii_alphabetic())
                    .unwrap_or(text.len());
                word.push_str(&text[..end]);
                let value = match word.as_str() {
                    "true" => Value::Bool(true),
                    "false" => Value::Bool(false),
                    "null" => Value::Null,
                    partial
                        if ["true", "false", "null"]
                            .iter()
                            .any(|w| w.starts_with(partial)) =>
                    {
                        return Some(&text[end..]);
                    }
                    _ => return None,
                };
                self.lex = Lex::Between;
                self.place(value)?;
                self.member_done();
                Some(&text[end..])
            }
            Lex::Between => {
                let c = text.chars().next()?;
                let rest = &text[c.len_utf8()..];
                self.structural(c)?;
                Some(rest)
            }
        }
    }

    /// One character between tokens.
    fn structural(&mut self, c: char) -> Option<()> {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            return Some(());
        }
        let expect = self.expect();
        match (c, expect) {
            ('"', Some(Expect::FirstOrEnd | Expect::Member))
                if matches!(self.stack.last(), Some(Frame::Object { .. })) =>
            {
                self.lex = Lex::Str {
                    key: Some(String::new()),
                    escape: String::new(),
                };
            }
            (':', Some(Expect::Colon)) => self.set_expect(Expect::Value),
            (',', Some(Expect::CommaOrEnd)) => self.set_expect(Expect::Member),
            ('}', Some(Expect::FirstOrEnd | Expect::CommaOrEnd))
                if matches!(self.stack.last(), Some(Frame::Object { .. })) =>
            {
                self.stack.pop();
                self.member_done();
            }
            (']', Some(Expect::FirstOrEnd | Expect::CommaOrEnd))
                if matches!(self.stack.last(), Some(Frame::Array { .. })) =>
            {
                self.stack.pop();
                self.member_done();
            }
            (c, expect) if self.value_may_start(expect) => self.begin_value(c)?,
            _ => return None,
        }
        Some(())
    }

    fn value_may_start(&self, expect: Option<Expect>) -> bool {
        match (self.stack.last(), expect) {
            (None, _) => self.root.is_none(),
            (Some(Frame::Object { .. }), Some(Expect::Value)) => true,
            (Some(Frame::Array { .. }), Some(Expect::FirstOrEnd | Expect::Member)) => true,
            _ => false,
        }
    }

    fn begin_value(&mut self, c: char) -> Option<()> {
        match c {
            '{' => {
                self.place(Value::Object(Map::new()))?;
                self.stack.push(Frame::Object {
                    key: None,
                    state: Expect::FirstOrEnd,
                });
            }
            '[' => {
                self.place(Value::Array(Vec::new()))?;
                self.stack.push(Frame::Array {
                    state: Expect::FirstOrEnd,
                });
            }
            '"' => {
                self.place(Value::String(String::new()))?;
                self.lex = Lex::Str {
                    key: None,
                    escape: String::new(),
                };
            }
            '-' | '0'..='9' => {
                self.lex = Lex::Number {
                    text: c.to_string(),
                    placed: false,
                }
            }
            't' | 'f' | 'n' => self.lex = Lex::Literal(c.to_string()),
            _ => return None,
        }
        Some(())
    }

    /// The rest of a string: runs of plain characters are copied at once,
    /// straight into the key or the value being written.
    fn string<'t>(&mut self, text: &'t str) -> Option<&'t str> {
        let Lex::Str { key, escape } = &mut self.lex else {
            return Some(text);
        };
        let mut rest = text;
        let mut decoded = None;
        if !escape.is_empty() {
            let (done, used) = continue_escape(escape, rest)?;
            rest = &rest[used..];
            match done {
                Some(c) => {
                    escape.clear();
                    decoded = Some(c);
                }
                None => return Some(rest),
            }
        }
        let end = rest.find(['"', '\\']).unwrap_or(rest.len());
        let run = &rest[..end];
        rest = &rest[end..];
        let closed = rest.starts_with('"');
        if rest.starts_with('\\') {
            escape.push('\\');
        }
        if !rest.is_empty() {
            rest = &rest[1..];
        }
        let pieces = [decoded.as_deref().unwrap_or(""), run];
        match key {
            Some(key) => {
                pieces.iter().for_each(|piece| key.push_str(piece));
                if closed {
                    let key = std::mem::take(key);
                    self.lex = Lex::Between;
                    if let Some(Frame::Object { key: slot, state }) = self.stack.last_mut() {
                        *slot = Some(key);
                        *state = Expect::Colon;
                    }
                }
            }
            None => {
                if pieces.iter().any(|piece| !piece.is_empty()) {
                    match self.current()? {
                        Value::String(value) => pieces.iter().for_each(|p| value.push_str(p)),
                        _ => return None,
                    }
                }
                if closed {
                    self.lex = Lex::Between;
                    self.member_done();
                }
            }
        }
        Some(rest)
    }

    /// Writes the number's longest valid prefix into the tree.
    fn update_number(&mut self) {
        let Lex::Number { text, placed } = &self.lex else {
            return;
        };
        let valid = text.trim_end_matches(['.', 'e', 'E', '+', '-']);
        let Some(number) = serde_json::from_str::<Number>(valid).ok() else {
            return;
        };
        if *placed {
            if let Some(slot) = self.current() {
                *slot = Value::Number(number);
            }
        } else if self.place(Value::Number(number)).is_some()
            && let Lex::Number { placed, .. } = &mut self.lex
        {
            *placed = true;
        }
    }

    /// A number ended: it must be whole.
    fn end_number(&mut self) -> Option<()> {
        let Lex::Number { text, placed } = std::mem::take(&mut self.lex) else {
            return Some(());
        };
        let number = Value::Number(serde_json::from_str::<Number>(&text).ok()?);
        if placed {
            *self.current()? = number;
        } else {
            self.place(number)?;
        }
        self.member_done();
        Some(())
    }

    fn expect(&self) -> Option<Expect> {
        match self.stack.last()? {
            Frame::Object { state, .. } | Frame::Array { state } => Some(*state),
        }
    }

    fn set_expect(&mut self, next: Expect) {
        if let Some(Frame::Object { state, .. } | Frame::Array { state }) = self.stack.last_mut() {
            *state = next;
        }
    }

    /// A member of the innermost container is complete.
    fn member_done(&mut self) {
        self.set_expect(Expect::CommaOrEnd);
    }

    /// Puts a new value where the text is: the root, the current key of the
    /// innermost object, or the end of the innermost array.
    fn place(&mut self, value: Value) -> Option<()> {
        let Some(frame) = self.stack.last() else {
            if self.root.is_some() {
                return None;
            }
            self.root = Some(value);
            return Some(());
        };
        let key = match frame {
            Frame::Object { key, .. } => Some(key.clone()?),
            Frame::Array { .. } => None,
        };
        match (container(self.root.as_mut()?, &self.stack)?, key) {
            (Value::Object(map), Some(key)) => {
                map.insert(key, value);
            }
            (Value::Array(items), None) => items.push(value),
            _ => return None,
        }
        Some(())
    }

    /// The value being written: the innermost container's current member,
    /// or the root.
    fn current(&mut self) -> Option<&mut Value> {
        let root = self.root.as_mut()?;
        match self.stack.last() {
            None => Some(root),
            Some(frame) => child(container(root, &self.stack)?, frame),
        }
    }
}

/// The innermost open container of `stack` inside `root`.
fn container<'v>(root: &'v mut Value, stack: &[Frame]) -> Option<&'v mut Value> {
    let mut current = root;
    for frame in &stack[..stack.len().saturating_sub(1)] {
        current = child(current, frame)?;
    }
    Some(current)
}

/// The current member of a container: its key's value, or its last item.
fn child<'v>(container: &'v mut Value, frame: &Frame) -> Option<&'v mut Value> {
    match (container, frame) {
        (Value::Object(map), Frame::Object { key: Some(key), .. }) => map.get_mut(key),
        (Value::Array(items), Frame::Array { .. }) => items.last_mut(),
        _ => None,
    }
}

/// Adds characters of `text` to a pending escape (`\`, `\u12`, a high
/// surrogate waiting for its low half). Returns the decoded text once the
/// escape is complete, and how many bytes of `text` it used.
fn continue_escape(escape: &mut String, text: &str) -> Option<(Option<String>, usize)> {
    let mut used = 0;
    for c in text.chars() {
        escape.push(c);
        used += c.len_utf8();
        match escape_state(escape)? {
            EscapeState::Pending => {}
            EscapeState::Done => {
                let decoded: String = serde_json::from_str(&format!("\"{escape}\"")).ok()?;
                return Some((Some(decoded), used));
            }
        }
    }
    Some((None, used))
}

enum EscapeState {
    Pending,
    Done,
}

/// Whether a raw escape is complete, pending, or not JSON (`None`).
fn escape_state(escape: &str) -> Option<EscapeState> {
    let bytes = escape.as_bytes();
    match bytes.get(1) {
        None => Some(EscapeState::Pending),
        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Some(EscapeState::Done),
        Some(b'u') => {
            let hex = &escape[2..];
            if !hex.bytes().take(4).all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            if hex.len() < 4 {
                return Some(EscapeState::Pending);
            }
            let unit = u16::from_str_radix(&hex[..4], 16).ok()?;
            if !(0xD800..0xDC00).contains(&unit) {
                return (hex.len() == 4).then_some(EscapeState::Done);
            }
            // A high surrogate: its low half must follow as `\uXXXX`.
            let low = &escape[6..];
            match low.len() {
                0 => Some(EscapeState::Pending),
                1 => (low == "\\").then_some(EscapeState::Pending),
                _ if !low.starts_with("\\u") => None,
                2..=5 => low[2..]
                    .bytes()
                    .all(|b| b.is_ascii_hexdigit())
                    .then_some(EscapeState::Pending),
                6 => Some(EscapeState::Done),
                _ => None,
            }
        }
        Some(_) => None,
    }
}

#[cfg(test)]
#[path = "partial_json_tests.rs"]
mod tests;
