//! Web addresses given by users (QR codes, clinic websites, links in the content): checked
//! once, here, so every field says the same thing about the same mistake.

/// Why `url` is not a usable web address, or `None` when it is: `http(s)://`, a host name with
/// a dot (or `localhost`), and no spaces.
pub fn problem(url: &str) -> Option<String> {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return Some("must be a web address starting with https:// (or http://)".into());
    };
    if let Some(c) = url.chars().find(|c| c.is_whitespace()) {
        let what = if c == ' ' { "a space" } else { "white space" };
        return Some(format!(
            "contains {what}, which a web address cannot hold (write it as %20)"
        ));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let name = host.rsplit_once('@').map_or(host, |(_, h)| h);
    let name = name.split(':').next().unwrap_or_default();
    if name.is_empty() {
        return Some("has no host name after the https://".into());
    }
    if !(name.contains('.') || name == "localhost") || name.starts_with('.') || name.ends_with('.')
    {
        return Some(format!(
            "'{name}' is not a host name (like www.eksempel.dk)"
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::problem;

    #[test]
    fn accepts_web_addresses_and_says_what_is_wrong_with_others() {
        for ok in [
            "https://fysio.dk",
            "http://fysio.dk/øvelser?x=1#top",
            "https://www.fysio.dk:8443/a/b",
            "http://localhost/x",
        ] {
            assert_eq!(problem(ok), None, "{ok}");
        }
        for (bad, says) in [
            ("fysio.dk", "starting with https://"),
            ("ftp://fysio.dk", "starting with https://"),
            ("https://", "no host name"),
            ("https:///path", "no host name"),
            ("https://fysio.dk/a b", "contains a space"),
            ("https://fysio.dk/a\tb", "white space"),
            ("https://fysio", "'fysio' is not a host name"),
            ("https://fysio./x", "is not a host name"),
        ] {
            let p = problem(bad).unwrap_or_default();
            assert!(p.contains(says), "{bad}: {p}");
        }
    }
}
