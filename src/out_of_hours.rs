//! Whom to call out of hours, per Danish region (`content/out_of_hours.json`). The content
//! reads and validates it, a clinic profile names its region in it, and select prints that
//! region's call in the red-flag box: plain data shared by a stage and a leaf, so it is neither.

use serde::Deserialize;

/// `content/out_of_hours.json`: whom to call out of hours, per Danish region. The numbers
/// change, so they are dated data, not code.
#[derive(Debug, Clone, Deserialize)]
pub struct OutOfHours {
    /// Version of this schema; pjece reads version 1.
    pub schema_version: u32,
    /// When the numbers were checked.
    pub as_of: String,
    /// Where they come from.
    pub source: String,
    /// The line about 112, printed under the number.
    pub emergency: String,
    /// The regions.
    pub regions: Vec<CareRegion>,
}

/// One Danish region's out-of-hours service.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CareRegion {
    /// ASCII id used in clinic profiles (`midtjylland`).
    pub id: String,
    /// Its name (`Region Midtjylland`).
    pub name: String,
    /// Whom to call, for `{call}`: `lægevagten på 70 11 31 31`.
    pub call: String,
    /// Other names accepted in a clinic profile.
    #[serde(default)]
    pub aliases: Vec<String>,
}

impl OutOfHours {
    /// The region a clinic profile names, by id, name or alias, ignoring case.
    pub fn find(&self, name: &str) -> Option<&CareRegion> {
        let n = name.trim().to_lowercase();
        self.regions.iter().find(|r| {
            r.id == n
                || r.name.to_lowercase() == n
                || r.aliases.iter().any(|a| a.to_lowercase() == n)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_by_id_name_or_alias() {
        let o: OutOfHours =
            serde_json::from_str(include_str!("../content/out_of_hours.json")).unwrap();
        assert_eq!(
            o.find("Region Hovedstaden").unwrap().call,
            "Akuttelefonen på 1813"
        );
        assert_eq!(o.find(" SJÆLLAND ").unwrap().id, "sjaelland");
        assert_eq!(o.find("midtjylland").unwrap().name, "Region Midtjylland");
        assert!(o.find("Fyn").is_none());
    }
}
