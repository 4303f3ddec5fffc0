//! The headers section of a frame in wire form: encoding one header,
//! walking and checking a section, reading a value.

use bytes::Bytes;

use super::{FrameError, HeaderValue};

/// Appends one header in wire form.
pub(super) fn encode_header(raw: &mut Vec<u8>, name: &str, value: &HeaderValue) {
    raw.push(name.len() as u8);
    raw.extend_from_slice(name.as_bytes());
    match value {
        HeaderValue::Bool(true) => raw.push(0),
        HeaderValue::Bool(false) => raw.push(1),
        HeaderValue::Byte(v) => {
            raw.push(2);
            raw.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int16(v) => {
            raw.push(3);
            raw.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int32(v) => {
            raw.push(4);
            raw.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Int64(v) => {
            raw.push(5);
            raw.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Bytes(v) => {
            raw.push(6);
            raw.extend_from_slice(&(v.len() as u16).to_be_bytes());
            raw.extend_from_slice(v);
        }
        HeaderValue::String(v) => {
            raw.push(7);
            raw.extend_from_slice(&(v.len() as u16).to_be_bytes());
            raw.extend_from_slice(v.as_bytes());
        }
        HeaderValue::Timestamp(v) => {
            raw.push(8);
            raw.extend_from_slice(&v.to_be_bytes());
        }
        HeaderValue::Uuid(v) => {
            raw.push(9);
            raw.extend_from_slice(v);
        }
    }
}

/// A header's value from its type and value bytes (as [`walk`] checked them).
pub(super) fn value_of(kind: u8, value: &[u8]) -> HeaderValue {
    let int = |n: usize| {
        let mut buf = [0u8; 8];
        buf[8 - n..].copy_from_slice(&value[..n]);
        // Sign-extend from n bytes.
        let shift = 64 - 8 * n as u32;
        (i64::from_be_bytes(buf) << shift) >> shift
    };
    match kind {
        0 => HeaderValue::Bool(true),
        1 => HeaderValue::Bool(false),
        2 => HeaderValue::Byte(int(1) as i8),
        3 => HeaderValue::Int16(int(2) as i16),
        4 => HeaderValue::Int32(int(4) as i32),
        5 => HeaderValue::Int64(int(8)),
        6 => HeaderValue::Bytes(Bytes::copy_from_slice(value)),
        7 => HeaderValue::String(String::from_utf8_lossy(value).into_owned()),
        8 => HeaderValue::Timestamp(int(8)),
        _ => {
            let mut uuid = [0; 16];
            uuid.copy_from_slice(&value[..16]);
            HeaderValue::Uuid(uuid)
        }
    }
}

/// Walks a headers section, calling `visit(name, type, value bytes)` for
/// each header (string and bytes values without their length prefix), and
/// checks its structure: nothing cut short, known types. UTF-8 is
/// [`check_headers`]' job, done once per frame, not on every look-up.
pub(super) fn walk<'a>(
    mut raw: &'a [u8],
    mut visit: impl FnMut(&'a [u8], u8, &'a [u8]),
) -> Result<(), FrameError> {
    let short = || FrameError::Header("a header is cut short".to_owned());
    while let Some((&name_len, rest)) = raw.split_first() {
        let name_len = usize::from(name_len);
        let (name, rest) = rest.split_at_checked(name_len).ok_or_else(short)?;
        let (&kind, rest) = rest.split_first().ok_or_else(short)?;
        let (value, rest) = match kind {
            0 | 1 => (&rest[..0], rest),
            2 => rest.split_at_checked(1).ok_or_else(short)?,
            3 => rest.split_at_checked(2).ok_or_else(short)?,
            4 => rest.split_at_checked(4).ok_or_else(short)?,
            5 | 8 => rest.split_at_checked(8).ok_or_else(short)?,
            9 => rest.split_at_checked(16).ok_or_else(short)?,
            6 | 7 => {
                let (len, rest) = rest.split_at_checked(2).ok_or_else(short)?;
                let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
                rest.split_at_checked(len).ok_or_else(short)?
            }
            other => {
                return Err(FrameError::Header(format!(
                    "unknown value type {other} of {:?}",
                    String::from_utf8_lossy(name)
                )));
            }
        };
        visit(name, kind, value);
        raw = rest;
    }
    Ok(())
}

/// Whether `bytes` are UTF-8, ASCII (the usual case) checked first.
fn utf8(bytes: &[u8]) -> bool {
    bytes.is_ascii() || std::str::from_utf8(bytes).is_ok()
}

/// Checks a headers section once: its structure, UTF-8 names and string
/// values, and no name twice (the usual few compared pairwise without an
/// allocation; many sorted first).
pub(super) fn check_headers(raw: &[u8]) -> Result<(), FrameError> {
    let mut inline: [&[u8]; 8] = [&[]; 8];
    let mut spill: Vec<&[u8]> = Vec::new();
    let mut count = 0;
    let mut problem = None;
    walk(raw, |name, kind, value| {
        if problem.is_none() {
            if !utf8(name) {
                problem = Some("a header name is not UTF-8".to_owned());
            } else if kind == 7 && !utf8(value) {
                problem = Some(format!(
                    "the string value of {:?} is not UTF-8",
                    String::from_utf8_lossy(name)
                ));
            } else if count < inline.len() && inline[..count].contains(&name) {
                problem = Some(twice(name));
            }
        }
        if count < inline.len() {
            inline[count] = name;
        } else {
            if spill.is_empty() {
                spill.extend_from_slice(&inline);
            }
            spill.push(name);
        }
        count += 1;
    })?;
    if let Some(why) = problem {
        return Err(FrameError::Header(why));
    }
    spill.sort_unstable();
    match spill.windows(2).find(|pair| pair[0] == pair[1]) {
        Some(pair) => Err(FrameError::Header(twice(pair[0]))),
        None => Ok(()),
    }
}

fn twice(name: &[u8]) -> String {
    format!("{:?} appears twice", String::from_utf8_lossy(name))
}
