//! A process's own secret and port: the CSRF token a form carries, and the `Host` names that
//! reach this server. The door in [`super::security`] asks it; so do the form handlers.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::http::{HeaderMap, header};
use hmac::{KeyInit, Mac};

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// How long a form's CSRF token is accepted: a working day and then some.
const TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// The per-process secret that signs CSRF tokens, and the port `Host` must name.
pub struct Guard {
    secret: [u8; 32],
    port: u16,
}

impl Guard {
    pub fn new(port: u16) -> anyhow::Result<Guard> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| anyhow::anyhow!("no random numbers for the form's token: {e}"))?;
        Ok(Guard { secret, port })
    }

    /// Whether `Host` names this server: 127.0.0.1, `[::1]` or localhost at its port.
    pub fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
            return false;
        };
        let port = authority.port_u16().unwrap_or(80);
        let name = authority.host().to_ascii_lowercase();
        port == self.port && matches!(name.as_str(), "127.0.0.1" | "[::1]" | "localhost")
    }

    /// A token for a form: when it was issued, and a MAC of that.
    pub fn token(&self) -> String {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        format!("{now}.{}", self.mac(now))
    }

    /// Whether a token was made by this process within its lifetime.
    pub fn token_valid(&self, token: &str) -> bool {
        let Some((issued, mac)) = token.split_once('.') else {
            return false;
        };
        let Ok(issued) = issued.parse::<u64>() else {
            return false;
        };
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs();
        if issued > now + 60 || now - issued.min(now) > TOKEN_LIFETIME.as_secs() {
            return false;
        }
        let Ok(given) = hex_decode(mac) else {
            return false;
        };
        let mut m = HmacSha256::new_from_slice(&self.secret).expect("any key length");
        m.update(&issued.to_be_bytes());
        m.verify_slice(&given).is_ok()
    }

    fn mac(&self, issued: u64) -> String {
        let mut m = HmacSha256::new_from_slice(&self.secret).expect("any key length");
        m.update(&issued.to_be_bytes());
        m.finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

fn hex_decode(s: &str) -> Result<Vec<u8>, ()> {
    if !s.len().is_multiple_of(2) {
        return Err(());
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2).ok_or(())?, 16).map_err(|_| ()))
        .collect()
}
