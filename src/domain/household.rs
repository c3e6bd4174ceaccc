//! Vulnerable households (重点人群户): who they are, what they need and how often, who is
//! responsible for them, and the named deliveries each need makes due. A change to a household
//! (`HouseholdChange`) names only what changes; `merged` makes the household it leaves, so the
//! command line, the import and replay share one way to build it. A household's name, address,
//! phone and note are personal data: `masked` blanks them for those not entitled to see them
//! (see `privacy`). A leaf: imports only other leaf types of the domain.

use super::lang::Lang;
use super::qty::Qty;
use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Why a household cannot fend for itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    ElderlyAlone,
    ChronicDisease,
    Disabled,
    Infant,
    Pregnant,
    LowIncome,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::ElderlyAlone,
        Category::ChronicDisease,
        Category::Disabled,
        Category::Infant,
        Category::Pregnant,
        Category::LowIncome,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::ElderlyAlone => "elderly_alone",
            Category::ChronicDisease => "chronic_disease",
            Category::Disabled => "disabled",
            Category::Infant => "infant",
            Category::Pregnant => "pregnant",
            Category::LowIncome => "low_income",
            Category::Other => "other",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Category::ElderlyAlone => lang.pick("elderly alone", "独居老人"),
            Category::ChronicDisease => lang.pick("chronic disease", "慢性病"),
            Category::Disabled => lang.pick("disabled", "残疾"),
            Category::Infant => lang.pick("infant", "婴幼儿"),
            Category::Pregnant => lang.pick("pregnant", "孕产妇"),
            Category::LowIncome => lang.pick("low income", "低保困难"),
            Category::Other => lang.pick("other", "其他"),
        }
    }

    /// The code, or its Chinese label.
    pub fn parse(text: &str) -> Option<Category> {
        let t = text.trim();
        Category::ALL.into_iter().find(|c| c.code() == t || c.label(Lang::Zh) == t)
    }
}

/// One need as asked: an item, a quantity, every so many days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedSpec {
    pub item: String,
    pub qty: Qty,
    pub every_days: u32,
}

/// A need held: its spec and the day of its last named delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Need {
    pub item: String,
    pub qty: Qty,
    pub every_days: u32,
    #[serde(default)]
    pub last: Option<NaiveDate>,
}

impl Need {
    /// Due `every_days` after its last delivery, or after `since` (registration).
    pub fn due(&self, since: NaiveDate) -> NaiveDate {
        self.last.unwrap_or(since) + Duration::days(i64::from(self.every_days))
    }
}

/// A household on the register.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Household {
    pub code: String,
    /// The head of the household.
    pub name: String,
    pub village: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub categories: Vec<Category>,
    #[serde(default)]
    pub needs: Vec<Need>,
    /// The volunteer or cadre responsible, and their phone.
    #[serde(default)]
    pub responsible: String,
    #[serde(default)]
    pub responsible_phone: String,
    #[serde(default)]
    pub note: String,
    /// The day it was registered: needs never delivered are due from then.
    pub registered: NaiveDate,
    /// The named deliveries of the retention window (`retention::HOT_DAYS`), oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub deliveries: Vec<NamedDelivery>,
    /// Personal data blanked for this reader (never stored so).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub masked: bool,
}

impl Household {
    /// The earliest day one of its needs is due.
    pub fn next_due(&self) -> Option<NaiveDate> {
        self.needs.iter().map(|n| n.due(self.registered)).min()
    }

    /// The same household with its personal data blanked.
    pub fn masked(&self) -> Household {
        Household {
            name: String::new(),
            address: String::new(),
            phone: String::new(),
            note: String::new(),
            masked: true,
            ..self.clone()
        }
    }

    /// Records a named delivery of `item` on `day`; deliveries before `keep_from` are dropped.
    pub fn delivered(&mut self, item: &str, day: NaiveDate, keep_from: NaiveDate) {
        for n in self.needs.iter_mut().filter(|n| n.item == item) {
            n.last = Some(day);
        }
        self.deliveries.retain(|d| d.date >= keep_from);
        self.deliveries.push(NamedDelivery { date: day, item: item.to_string() });
    }

    /// Whether a named delivery of `item` was made on `day` (within the window held).
    pub fn delivered_on(&self, item: &str, day: NaiveDate) -> bool {
        self.deliveries.iter().any(|d| d.date == day && d.item == item)
    }

    /// The day a need was due as it stood at the start of `day`: after its latest delivery
    /// before that day (held, or its `last` when older), else after registration.
    pub fn due_before(&self, need: &Need, day: NaiveDate) -> NaiveDate {
        let held = self.deliveries.iter().filter(|d| d.item == need.item && d.date < day).map(|d| d.date).max();
        // None held before the day: a `last` before it is older than the window.
        let last = held.or(need.last.filter(|l| *l < day));
        last.unwrap_or(self.registered) + Duration::days(i64::from(need.every_days))
    }
}

/// One named delivery: the day and the item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedDelivery {
    pub date: NaiveDate,
    pub item: String,
}

/// A change to a household: its code and only what changes (a new household names at least
/// its name and village). Categories and needs, when given, replace the lists.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HouseholdChange {
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Category codes as typed (checked by validation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub needs: Option<Vec<NeedSpec>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub responsible_phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl HouseholdChange {
    /// The household this change leaves, over `base` (none: a new one registered `today`). A
    /// need kept for the same item keeps its last delivery. Unknown categories are dropped
    /// (validation refuses them first).
    pub fn merged(&self, base: Option<&Household>, today: NaiveDate) -> Household {
        let pick =
            |new: &Option<String>, old: Option<&String>| new.clone().or_else(|| old.cloned()).unwrap_or_default();
        let needs = match (&self.needs, base) {
            (Some(specs), _) => specs
                .iter()
                .map(|s| Need {
                    item: s.item.clone(),
                    qty: s.qty,
                    every_days: s.every_days,
                    last: base.and_then(|b| b.needs.iter().find(|n| n.item == s.item)).and_then(|n| n.last),
                })
                .collect(),
            (None, Some(b)) => b.needs.clone(),
            (None, None) => Vec::new(),
        };
        let categories = match (&self.categories, base) {
            (Some(c), _) => c.iter().filter_map(|t| Category::parse(t)).collect(),
            (None, Some(b)) => b.categories.clone(),
            (None, None) => Vec::new(),
        };
        Household {
            code: self.code.clone(),
            name: pick(&self.name, base.map(|b| &b.name)),
            village: pick(&self.village, base.map(|b| &b.village)),
            address: pick(&self.address, base.map(|b| &b.address)),
            phone: pick(&self.phone, base.map(|b| &b.phone)),
            categories,
            needs,
            responsible: pick(&self.responsible, base.map(|b| &b.responsible)),
            responsible_phone: pick(&self.responsible_phone, base.map(|b| &b.responsible_phone)),
            note: pick(&self.note, base.map(|b| &b.note)),
            registered: base.map_or(today, |b| b.registered),
            deliveries: base.map(|b| b.deliveries.clone()).unwrap_or_default(),
            masked: base.is_some_and(|b| b.masked),
        }
    }
}

/// A phone number as offices write them: digits, at least 5 and at most 20, with an optional
/// leading `+` and `-`, spaces or parentheses between (`0531-8888 1234`, `+86 138...`). A
/// Chinese mobile number (a national number starting with 1, 10 digits or more) has exactly
/// 11, so one typed a digit short or long is refused; short service numbers (12345) pass.
pub fn phone_ok(text: &str) -> bool {
    let t = text.trim();
    let (plus, body) = t.strip_prefix('+').map_or((false, t), |b| (true, b));
    let digits: String = body.chars().filter(char::is_ascii_digit).collect();
    let national = if plus { digits.strip_prefix("86") } else { Some(digits.as_str()) };
    let mobile_ok = national.is_none_or(|n| !n.starts_with('1') || n.len() < 10 || n.len() == 11);
    (5..=20).contains(&digits.len())
        && mobile_ok
        && body.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ' | '(' | ')'))
}

#[cfg(test)]
mod tests {
    use super::phone_ok;

    #[test]
    fn phones_as_offices_write_them_and_a_mobile_a_digit_short() {
        for good in [
            "13812345678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "0531-8888 1234",
            "(0311)86012345",
            "12345",
            "+44 20 7946 0958",
        ] {
            assert!(phone_ok(good), "{good}");
        }
        for bad in ["1381234567", "138123456789", "+86 1381234567", "abc", "1234", "138 1234 567x", ""] {
            assert!(!phone_ok(bad), "{bad}");
        }
    }
}
