//! A small `multipart/form-data` parser, enough for the Files API upload.

use bytes::Bytes;

/// One part of a form.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Part {
    /// The form field name (`name="file"`).
    pub(crate) name: String,
    /// The uploaded file's name, if the part is a file.
    pub(crate) filename: Option<String>,
    /// The part's `Content-Type`, if given.
    pub(crate) content_type: Option<String>,
    /// The part's bytes.
    pub(crate) data: Bytes,
}

/// The `boundary` parameter of a `multipart/form-data` content type.
pub(crate) fn boundary(content_type: &str) -> Option<&str> {
    let (kind, params) = content_type.split_once(';')?;
    if !kind.trim().eq_ignore_ascii_case("multipart/form-data") {
        return None;
    }
    params.split(';').find_map(|param| {
        let (key, value) = param.split_once('=')?;
        key.trim()
            .eq_ignore_ascii_case("boundary")
            .then(|| value.trim().trim_matches('"'))
            .filter(|b| !b.is_empty())
    })
}

/// The parts of a form body; an error names what is malformed.
pub(crate) fn parse(body: &Bytes, boundary: &str) -> Result<Vec<Part>, String> {
    let delimiter = format!("--{boundary}");
    let delimiter = delimiter.as_bytes();
    let mut at = find(body, delimiter, 0).ok_or("multipart body has no boundary")?;
    let mut parts = Vec::new();
    loop {
        at += delimiter.len();
        if body[at..].starts_with(b"--") {
            return Ok(parts);
        }
        at = skip_line_end(body, at).ok_or("malformed multipart boundary line")?;
        let head_end = find(body, b"\r\n\r\n", at).ok_or("multipart part without headers end")?;
        let head = std::str::from_utf8(&body[at..head_end])
            .map_err(|_| "multipart part headers are not UTF-8")?;
        let data_start = head_end + 4;
        let next = [b"\r\n", delimiter].concat();
        let data_end = find(body, &next, data_start).ok_or("multipart part is not terminated")?;
        let mut part = part_headers(head)?;
        part.data = body.slice(data_start..data_end);
        parts.push(part);
        at = data_end + 2;
    }
}

fn part_headers(head: &str) -> Result<Part, String> {
    let mut part = Part {
        name: String::new(),
        filename: None,
        content_type: None,
        data: Bytes::new(),
    };
    let mut disposition = false;
    for line in head.split("\r\n").filter(|l| !l.is_empty()) {
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| format!("malformed multipart header: {line}"))?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-disposition") {
            disposition = true;
            for param in value.split(';').skip(1) {
                if let Some((key, raw)) = param.split_once('=') {
                    let raw = raw.trim().trim_matches('"').to_owned();
                    match key.trim() {
                        "name" => part.name = raw,
                        "filename" => part.filename = Some(raw),
                        _ => {}
                    }
                }
            }
        } else if name.eq_ignore_ascii_case("content-type") {
            part.content_type = Some(value.to_owned());
        }
    }
    if disposition {
        Ok(part)
    } else {
        Err("multipart part without Content-Disposition".to_owned())
    }
}

fn skip_line_end(body: &[u8], at: usize) -> Option<usize> {
    if body[at..].starts_with(b"\r\n") {
        Some(at + 2)
    } else if body[at..].starts_with(b"\n") {
        Some(at + 1)
    } else {
        None
    }
}

/// The first position of `needle` in `haystack` at or after `from`.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    if from > haystack.len() || needle.is_empty() {
        return None;
    }
    haystack[from..]
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_file_part() {
        let body = Bytes::from_static(
            b"--XyZ\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nx\r\n\
--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\
Content-Type: text/plain\r\n\r\nhello\r\n--world\r\n--XyZ--\r\n",
        );
        assert_eq!(
            boundary("multipart/form-data; boundary=\"XyZ\""),
            Some("XyZ")
        );
        let parts = parse(&body, "XyZ").unwrap_or_default();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[1].name, "file");
        assert_eq!(parts[1].filename.as_deref(), Some("a.txt"));
        assert_eq!(parts[1].content_type.as_deref(), Some("text/plain"));
        assert_eq!(&parts[1].data[..], b"hello\r\n--world");
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        for body in [
            &b""[..],
            b"--XyZ",
            b"--XyZ\r\nno headers end",
            b"--XyZ\r\nA: b\r\n\r\nunterminated",
        ] {
            assert!(parse(&Bytes::copy_from_slice(body), "XyZ").is_err());
        }
    }
}
