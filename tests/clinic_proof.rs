//! A clinic profile is proven before any handout is made: `check --clinic`, `build` and `batch`
//! lay out and write sample handouts with it, so a logo that does not decode or a letter the
//! fonts lack is the profile's error, naming the file and the field, reported once, with
//! nothing written; and a profile of the wrong shape is refused in plain words.

mod util;

use util::Dir;

/// The message for a profile file holding `json`.
fn shape_error(json: &str) -> String {
    let dir = Dir::new();
    std::fs::write(dir.path("c.json"), json).unwrap();
    let err = dir.run(&["check", "--clinic", "c.json"]).fails(1);
    for jargon in ["Raw", "struct", "invalid type", "expected a string", "?:"] {
        assert!(!err.contains(jargon), "«{jargon}» in\n{err}");
    }
    err
}

#[test]
fn a_profile_of_the_wrong_shape_is_refused_in_plain_words() {
    let object = "c.json: must be a JSON object: fields such as \"name\": \"Fysioterapi Eksempel\" between { and }";
    for (json, kind) in [
        ("[]", "a list [ ]"),
        ("[{\"name\": \"A\"}]", "a list [ ]"),
        ("\"Fysioterapi\"", "text"),
        ("5", "a number"),
        ("null", "null"),
    ] {
        let err = shape_error(json);
        assert!(
            err.contains(&format!("{object}, not {kind}")),
            "{json}: {err}"
        );
    }
    let err = shape_error("// only a comment\n");
    assert!(
        err.contains("c.json: is empty; a clinic profile is a JSON object"),
        "{err}"
    );
    let err = shape_error(r#"{"phone": 62521234}"#);
    assert!(
        err.contains("c.json: phone: must be text in quotes, not a number"),
        "{err}"
    );
    // Every field of the wrong kind is named, and an unknown field too.
    let err =
        shape_error(r#"{"name": true, "address": ["Vestergade 1"], "logo": {}, "colour": "x"}"#);
    assert!(err.contains("has 4 problems"), "{err}");
    for expected in [
        "c.json: name: must be text in quotes, not true or false",
        "c.json: address: must be text in quotes, not a list [ ]",
        "c.json: logo: must be text in quotes, not a group of fields { }",
        "c.json: colour: is not a field of a clinic profile",
    ] {
        assert!(err.contains(expected), "{expected}: {err}");
    }
    let err = shape_error(r#"{"name": "A", "name": "B"}"#);
    assert!(
        err.contains("c.json: name: is given twice; keep one"),
        "{err}"
    );
    let err = shape_error("{\"name\": \"A\",}");
    assert!(
        err.contains("c.json: is not valid JSON: trailing comma at line 1 column 14"),
        "{err}"
    );
}
