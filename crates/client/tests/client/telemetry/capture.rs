//! A subscriber that keeps every span: its name, parent, fields (as
//! recorded, with their types) and whether it closed.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A recorded field value, with its type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum V {
    Str(String),
    I64(i64),
    F64(f64),
    Bool(bool),
}

impl V {
    pub(crate) fn str(&self) -> &str {
        match self {
            V::Str(s) => s,
            other => panic!("not a string: {other:?}"),
        }
    }
}

/// One span as the subscriber saw it.
#[derive(Debug, Clone, Default)]
pub(crate) struct SpanRecord {
    pub(crate) id: u64,
    pub(crate) name: &'static str,
    pub(crate) parent: Option<u64>,
    pub(crate) fields: BTreeMap<String, V>,
    pub(crate) refs: usize,
    pub(crate) closed: bool,
}

impl SpanRecord {
    /// The OpenTelemetry name (`otel.name`), else the `tracing` name.
    pub(crate) fn otel_name(&self) -> &str {
        self.fields.get("otel.name").map_or(self.name, V::str)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&V> {
        self.fields.get(key)
    }

    pub(crate) fn str(&self, key: &str) -> &str {
        match self.fields.get(key) {
            Some(value) => value.str(),
            None => panic!("{} has no {key}: {:#?}", self.otel_name(), self.fields),
        }
    }

    pub(crate) fn int(&self, key: &str) -> i64 {
        match self.fields.get(key) {
            Some(V::I64(n)) => *n,
            other => panic!(
                "{} {key} is {other:?}: {:#?}",
                self.otel_name(),
                self.fields
            ),
        }
    }

    /// The `gen_ai.*` attributes.
    pub(crate) fn gen_ai(&self) -> Vec<&str> {
        self.fields
            .keys()
            .filter(|k| k.starts_with("gen_ai."))
            .map(String::as_str)
            .collect()
    }
}

#[derive(Default)]
struct State {
    spans: Vec<SpanRecord>,
    stack: Vec<u64>,
}

/// The subscriber; clones share the record.
#[derive(Clone, Default)]
pub(crate) struct Capture(Arc<Mutex<State>>);

impl Capture {
    fn state(&self) -> MutexGuard<'_, State> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Every span so far.
    pub(crate) fn spans(&self) -> Vec<SpanRecord> {
        self.state().spans.clone()
    }

    /// The spans whose OpenTelemetry name is `name`.
    pub(crate) fn named(&self, name: &str) -> Vec<SpanRecord> {
        self.spans()
            .into_iter()
            .filter(|s| s.otel_name() == name)
            .collect()
    }

    /// The only span named `name`.
    pub(crate) fn one(&self, name: &str) -> SpanRecord {
        let mut found = self.named(name);
        assert_eq!(found.len(), 1, "spans named {name}: {:#?}", self.spans());
        found.remove(0)
    }
}

struct Fields<'a>(&'a mut BTreeMap<String, V>);

impl Visit for Fields<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .insert(field.name().to_owned(), V::Str(format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0
            .insert(field.name().to_owned(), V::Str(value.to_owned()));
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.0.insert(field.name().to_owned(), V::I64(value));
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.0.insert(field.name().to_owned(), V::I64(value as i64));
    }
    fn record_f64(&mut self, field: &Field, value: f64) {
        self.0.insert(field.name().to_owned(), V::F64(value));
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.0.insert(field.name().to_owned(), V::Bool(value));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }

    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut state = self.state();
        let id = state.spans.len() as u64 + 1;
        let parent = match span.parent() {
            Some(parent) => Some(parent.into_u64()),
            None if span.is_contextual() => state.stack.last().copied(),
            None => None,
        };
        let mut record = SpanRecord {
            id,
            name: span.metadata().name(),
            parent,
            refs: 1,
            ..SpanRecord::default()
        };
        span.record(&mut Fields(&mut record.fields));
        state.spans.push(record);
        Id::from_u64(id)
    }

    fn record(&self, span: &Id, values: &Record<'_>) {
        let mut state = self.state();
        let record = &mut state.spans[span.into_u64() as usize - 1];
        values.record(&mut Fields(&mut record.fields));
    }

    fn record_follows_from(&self, _: &Id, _: &Id) {}

    fn event(&self, _: &Event<'_>) {}

    fn enter(&self, span: &Id) {
        self.state().stack.push(span.into_u64());
    }

    fn exit(&self, span: &Id) {
        let mut state = self.state();
        if let Some(at) = state.stack.iter().rposition(|&id| id == span.into_u64()) {
            state.stack.remove(at);
        }
    }

    fn clone_span(&self, span: &Id) -> Id {
        self.state().spans[span.into_u64() as usize - 1].refs += 1;
        span.clone()
    }

    fn try_close(&self, span: Id) -> bool {
        let mut state = self.state();
        let record = &mut state.spans[span.into_u64() as usize - 1];
        record.refs -= 1;
        if record.refs == 0 {
            record.closed = true;
        }
        record.closed
    }
}
