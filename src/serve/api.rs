//! `POST /api/handout`: the handout for other systems. JSON keys are the batch columns'
//! English names; the answer is the PDF, or 422 with every problem at its key.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use pjece::content::{Audience, Region, Variant};
use pjece::dates::{parse_appointment, parse_date};
use pjece::select::Choices;

use super::messages::field_error;
use super::respond::{internal, pdf, plain};
use super::state::AppState;
use super::today::today;
use pjece::field::Field;

fn errors(status: StatusCode, list: &[(String, String)]) -> Response {
    let list: Vec<Value> = list
        .iter()
        .map(|(field, message)| json!({"field": field, "message": message}))
        .collect();
    (status, axum::Json(json!({ "errors": list }))).into_response()
}

pub async fn handout(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    // Only JSON: a browser cannot send it cross-site without a preflight this server refuses.
    let json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|t| t.to_str().ok())
        .and_then(|t| t.split(';').next())
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"));
    if !json {
        return plain(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "send the handout's choices as Content-Type: application/json",
        );
    }
    let object = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            return errors(
                StatusCode::BAD_REQUEST,
                &[(String::new(), "Svaret skal være et JSON-objekt.".into())],
            );
        }
        Err(e) => {
            return errors(
                StatusCode::BAD_REQUEST,
                &[(
                    String::new(),
                    format!(
                        "Ikke gyldig JSON (linje {}, kolonne {}).",
                        e.line(),
                        e.column()
                    ),
                )],
            );
        }
    };
    let choices = match choices(&object) {
        Ok(c) => c,
        Err(list) => return errors(StatusCode::UNPROCESSABLE_ENTITY, &list),
    };
    let built = {
        let choices = choices.clone();
        state.render(move |s| s.pdf(&choices)).await
    };
    match built {
        Err(r) => r,
        Ok(Ok(bytes)) => pdf(bytes, &choices, true),
        // Keyed by the library's own field: the form shows `no_qr` at `qr`, JSON names it.
        Ok(Err(e)) => match field_error(&e) {
            Some(error) => errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                &[(
                    e.field()
                        .or(error.field.map(|f| f.field()))
                        .map_or("", |f| f.name())
                        .to_string(),
                    error.message,
                )],
            ),
            None => internal(&e),
        },
    }
}

/// The choices a JSON object asks for, or every problem with its keys and values.
pub(super) fn choices(o: &Map<String, Value>) -> Result<Choices, Vec<(String, String)>> {
    let mut problems: Vec<(String, String)> = Vec::new();
    // The keys are the library's field names, as the batch columns' English names.
    for key in o.keys().filter(|k| Field::from_name(k).is_none()) {
        let known: Vec<&str> = Field::ALL.iter().map(|f| f.name()).collect();
        problems.push((
            key.clone(),
            format!("Ukendt nøgle; brug {}.", known.join(", ")),
        ));
    }
    let mut bad = |key: &str, message: &str| problems.push((key.into(), message.into()));
    let string = |key: &str, bad: &mut dyn FnMut(&str, &str)| -> Option<String> {
        match o.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if s.trim().is_empty() => None,
            Some(Value::String(s)) => Some(s.clone()),
            Some(_) => {
                bad(key, "Skal være en tekst.");
                None
            }
        }
    };
    // A list is a JSON array of texts, or one text: ids split at commas, lines at | or breaks.
    let list =
        |key: &str, separators: &[char], bad: &mut dyn FnMut(&str, &str)| -> Option<Vec<String>> {
            let items: Vec<String> = match o.get(key) {
                None | Some(Value::Null) => return None,
                Some(Value::String(s)) => s.split(separators).map(String::from).collect(),
                Some(Value::Array(a)) => {
                    let texts: Option<Vec<String>> =
                        a.iter().map(|v| v.as_str().map(String::from)).collect();
                    match texts {
                        Some(t) => t,
                        None => {
                            bad(key, "Skal være en liste af tekster.");
                            return None;
                        }
                    }
                }
                Some(_) => {
                    bad(key, "Skal være en liste af tekster.");
                    return None;
                }
            };
            Some(
                items
                    .into_iter()
                    .map(|i| i.trim().to_string())
                    .filter(|i| !i.is_empty())
                    .collect(),
            )
        };
    let region = match string("region", &mut bad) {
        None => {
            bad(
                "region",
                "Mangler; brug lumbar (lænd) eller cervical (nakke).",
            );
            Region::Lumbar
        }
        Some(r) => Region::parse(&r).unwrap_or_else(|| {
            bad(
                "region",
                "Ukendt område; brug lumbar (lænd) eller cervical (nakke).",
            );
            Region::Lumbar
        }),
    };
    let variant = match string("variant", &mut bad).map(|v| v.trim().to_lowercase()) {
        None => Variant::Full,
        Some(v) => match v.as_str() {
            "full" | "fuld" => Variant::Full,
            "short" | "kort" | "pixi" => Variant::Short,
            _ => {
                bad(
                    "variant",
                    "Ukendt udgave; brug full (fuld) eller short (kort).",
                );
                Variant::Full
            }
        },
    };
    let audience = match string("audience", &mut bad).as_deref().map(str::trim) {
        None | Some("patient") => Audience::Patient,
        Some("therapist") => Audience::Therapist,
        Some(_) => {
            bad("audience", "Brug patient eller therapist.");
            Audience::Patient
        }
    };
    let date = match string("date", &mut bad) {
        None => today(),
        Some(d) => parse_date(&d).unwrap_or_else(|| {
            bad("date", "Datoen skal skrives som ÅÅÅÅ-MM-DD, fx 2026-12-03.");
            today()
        }),
    };
    let next = string("next", &mut bad).and_then(|n| {
        let at = parse_appointment(&n);
        if at.is_none() {
            bad(
                "next",
                "Næste tid skal skrives som ÅÅÅÅ-MM-DD TT:MM, fx 2026-12-03 10:30.",
            );
        }
        at
    });
    let mut flag = |key: &str| match o.get(key) {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            bad(key, "Skal være true eller false.");
            false
        }
    };
    let large_print = flag("large_print");
    let (blank_goals, ladder, no_qr) = (flag("blank_goals"), flag("ladder"), flag("no_qr"));
    let mut choices = Choices::new(region, date);
    choices.variant = variant;
    choices.audience = audience;
    choices.advice = list("advice", &[','], &mut bad);
    choices.omit = list("omit", &[','], &mut bad).unwrap_or_default();
    choices.patient = string("name", &mut bad);
    choices.therapist = string("therapist", &mut bad);
    choices.note = string("note", &mut bad);
    choices.goals = list("goals", &['|', '\n'], &mut bad).unwrap_or_default();
    choices.steps = list("steps", &['|', '\n'], &mut bad).unwrap_or_default();
    choices.next = next;
    choices.qr_url = string("qr", &mut bad);
    choices.large_print = large_print;
    choices.blank_goals = blank_goals;
    choices.ladder = ladder;
    choices.no_qr = no_qr;
    if problems.is_empty() {
        Ok(choices)
    } else {
        Err(problems)
    }
}
