//! One JSON Lines row: an object whose keys are column names. Keys are kept in order with
//! their duplicates (serde_json's map keeps only the last, so `{"name": "A", "name": "B"}`
//! would silently print B).

use std::collections::BTreeSet;
use std::fmt;
use std::io::{self, BufRead};

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::text::{clean, refused, refused_char, shown};
use super::{Column, Header, Place, Record, RowError};

/// Reads one line into `buf` (without its line break), keeping at most `max` bytes; returns
/// None at the end of the input, else whether the line was longer than `max`.
pub fn read_line(
    src: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max: usize,
) -> io::Result<Option<bool>> {
    buf.clear();
    let mut seen = false;
    let mut too_long = false;
    loop {
        let chunk = src.fill_buf()?;
        if chunk.is_empty() {
            return Ok(seen.then_some(too_long));
        }
        seen = true;
        let (part, used, done) = match memchr(chunk) {
            Some(i) => (&chunk[..i], i + 1, true),
            None => (chunk, chunk.len(), false),
        };
        let room = max.saturating_sub(buf.len());
        too_long |= part.len() > room;
        buf.extend_from_slice(&part[..part.len().min(room)]);
        src.consume(used);
        if done {
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            return Ok(Some(too_long));
        }
    }
}

fn memchr(s: &[u8]) -> Option<usize> {
    s.iter().position(|&b| b == b'\n')
}

/// A line's JSON: an object's pairs in order, or what else it was.
enum Line {
    Object(Vec<(String, Value)>),
    Other(&'static str),
}

impl<'de> Deserialize<'de> for Line {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Line, D::Error> {
        d.deserialize_any(LineVisitor)
    }
}

struct LineVisitor;

impl<'de> Visitor<'de> for LineVisitor {
    type Value = Line;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Line, A::Error> {
        let mut pairs = Vec::new();
        while let Some(pair) = map.next_entry()? {
            pairs.push(pair);
        }
        Ok(Line::Object(pairs))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Line, A::Error> {
        // As Values, not IgnoredAny: serde_json's recursion limit then refuses deep nesting.
        while seq.next_element::<Value>()?.is_some() {}
        Ok(Line::Other("a list"))
    }

    fn visit_bool<E>(self, _: bool) -> Result<Line, E> {
        Ok(Line::Other("true/false"))
    }

    fn visit_i64<E>(self, _: i64) -> Result<Line, E> {
        Ok(Line::Other("a number"))
    }

    fn visit_u64<E>(self, _: u64) -> Result<Line, E> {
        Ok(Line::Other("a number"))
    }

    fn visit_f64<E>(self, _: f64) -> Result<Line, E> {
        Ok(Line::Other("a number"))
    }

    fn visit_str<E>(self, _: &str) -> Result<Line, E> {
        Ok(Line::Other("text"))
    }

    fn visit_unit<E>(self) -> Result<Line, E> {
        Ok(Line::Other("null"))
    }
}

/// One JSON Lines object; unknown keys are remembered for the warning.
pub fn record(text: &str, row: u64, at: Place, header: &mut Header) -> Result<Record, RowError> {
    let err = |column, message: String| RowError::other(row, at, column, message);
    let pairs = match serde_json::from_str::<Line>(text) {
        Ok(Line::Object(pairs)) => pairs,
        Ok(Line::Other(kind)) => {
            return Err(err(
                None,
                format!(
                    "must be a JSON object like {{\"name\": \"...\", \"region\": \"lænd\"}}, not {kind}"
                ),
            ));
        }
        Err(e) => return Err(err(None, format!("is not valid JSON: {}", json_reason(&e)))),
    };
    let mut values = Vec::new();
    let mut keys = BTreeSet::new();
    let mut seen = BTreeSet::new();
    for (key, v) in pairs {
        let key = clean(&key).into_owned();
        if let Some(why) = refused(&key) {
            return Err(err(None, format!("the key '{}' {why}", shown(&key))));
        }
        let column = Column::parse(&key);
        if !keys.insert(key.clone()) {
            return Err(err(
                column,
                format!("the key '{}' appears twice; keep one", shown(&key)),
            ));
        }
        let Some(column) = column else {
            let key = shown(&key);
            if !header.unknown.contains(&key) {
                header.unknown.push(key);
            }
            continue;
        };
        if !seen.insert(column) {
            return Err(err(
                Some(column),
                format!(
                    "appears twice (as '{}' and another name for '{}')",
                    shown(&key),
                    column.name()
                ),
            ));
        }
        header.columns.insert(column);
        let text = text_of(column, v).map_err(|m| err(Some(column), m))?;
        let Some(text) = text else { continue };
        let text = clean(&text);
        if let Some(problem) = refused_char(&text) {
            return Err(RowError::typed(row, at, Some(column), problem));
        }
        let text = text.trim();
        if !text.is_empty() {
            values.push((column, text.to_string()));
        }
    }
    Ok(Record { row, at, values })
}

/// A value as the text a CSV cell would hold: lists of ids joined by commas, lists of goals
/// or steps by line breaks, true/false as ja/nej for large print.
fn text_of(column: Column, v: Value) -> Result<Option<String>, String> {
    let list = |items: Vec<Value>, sep: &str| -> Result<String, String> {
        let strings: Option<Vec<String>> = items
            .into_iter()
            .map(|i| match i {
                Value::String(s) => Some(s),
                _ => None,
            })
            .collect();
        strings
            .map(|s| s.join(sep))
            .ok_or_else(|| "must be a list of texts".to_string())
    };
    Ok(Some(match v {
        Value::Null => return Ok(None),
        Value::String(s) => s,
        Value::Array(items) if matches!(column, Column::Advice | Column::Omit) => list(items, ",")?,
        Value::Array(items) if matches!(column, Column::Goals | Column::Steps) => {
            list(items, "\n")?
        }
        Value::Bool(b) if column == Column::LargePrint => (if b { "ja" } else { "nej" }).into(),
        other => return Err(format!("must be text, not {}", json_kind(&other))),
    }))
}

fn json_reason(e: &serde_json::Error) -> String {
    // serde_json adds "at line 1 column N"; the line is always 1 within a JSON Lines row.
    let s = e.to_string();
    s.replace(" at line 1 column ", " at column ")
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
        _ => "null",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Result<Record, RowError> {
        record(text, 1, Place::Line(1), &mut Header::default())
    }

    #[test]
    fn duplicates_lists_and_booleans() {
        let e = one(r#"{"name":"Anna","name":"Bent"}"#).unwrap_err();
        assert_eq!(e.message, "the key 'name' appears twice; keep one");
        assert_eq!(e.column, Some(Column::Name));
        let e = one(r#"{"cpr":"1","cpr":"2"}"#).unwrap_err();
        assert_eq!(e.column, None);
        let r = one(r#"{"goals":["a","b"],"trin":["c"],"large print":true,"note":null}"#).unwrap();
        assert_eq!(r.get(Column::Goals), Some("a\nb"));
        assert_eq!(r.get(Column::Steps), Some("c"));
        assert_eq!(r.get(Column::LargePrint), Some("ja"));
        let e = one(r#"{"goals":[1]}"#).unwrap_err();
        assert_eq!(e.message, "must be a list of texts");
        let e = one(r#"{"name":true}"#).unwrap_err();
        assert_eq!(e.message, "must be text, not true/false");
    }

    #[test]
    fn bounded_lines() {
        let text = b"abc\r\n0123456789\nlast";
        let mut src = &text[..];
        let mut buf = Vec::new();
        assert_eq!(read_line(&mut src, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"abc");
        assert_eq!(read_line(&mut src, &mut buf, 5).unwrap(), Some(true));
        assert_eq!(buf, b"01234");
        assert_eq!(read_line(&mut src, &mut buf, 5).unwrap(), Some(false));
        assert_eq!(buf, b"last");
        assert_eq!(read_line(&mut src, &mut buf, 5).unwrap(), None);
    }
}
