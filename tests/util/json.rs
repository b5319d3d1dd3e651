//! Reading JSON answers back (the server's, qpdf's).

use serde_json::Value;

/// The string at `key` of each object in the JSON array `array`, in order; fails where
/// `array` is not an array or an object has no such string.
pub fn strings_at<'v>(array: &'v Value, key: &str) -> Vec<&'v str> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {array}"))
        .iter()
        .map(|o| {
            o[key]
                .as_str()
                .unwrap_or_else(|| panic!("no string {key:?} in {o}"))
        })
        .collect()
}
