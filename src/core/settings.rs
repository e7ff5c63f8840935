//! The machinery behind the one table of settings in [`super::config`]: how a setting's value is
//! parsed, printed and range-checked, the metadata of a row (what the page builds its controls
//! from and the CLI its flags from), and the two macros that turn the table into code.
//!
//! TensorFlow Playground's `state.ts` is the model: every setting is one row, and the URL hash,
//! the CLI flags, validation, the live/fixed split and the page's controls all come from it.

use super::error::{Error, Result};

/// What kind of value a setting holds (for the page's control and the CLI's help).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A whole number.
    Int,
    /// A finite real number.
    Float,
    /// One of these names.
    Choice(&'static [&'static str]),
}

/// Where a setting belongs; also what a model file or a checkpoint fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// What to learn (the playground always learns its text).
    Task,
    /// The architecture: a model file fixes these.
    Model,
    /// How the weights start: used once, when a model is created.
    Init,
    /// Data windows, optimizer and clipping: a checkpoint resumes only when these are unchanged.
    Training,
}

/// How a numeric control should move: in even steps, or by factors (the learning rate).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    Linear,
    Log,
}

/// Whether changing a setting keeps the trained model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Live {
    /// Applies to the running model at once.
    Live,
    /// Starts a new model.
    Fixed,
}

/// A value a setting can hold: parsed from and printed to its `key=value` text form.
pub trait SettingValue: Sized {
    /// The kind of control and flag it needs.
    const KIND: Kind;
    /// Parses the text form (no range check); `key` names the setting in the error.
    fn parse(key: &str, text: &str) -> Result<Self>;
    /// The text form (what the URL hash and the CLI's `[default: …]` show).
    fn print(&self) -> String;
    /// The value as a number, for the range check (`None` for choices).
    fn number(&self) -> Option<f64>;
}

fn number<T: std::str::FromStr>(key: &str, text: &str) -> Result<T> {
    text.trim()
        .parse::<T>()
        .map_err(|_| Error::config(key, text, "not a number"))
}

/// Whole-number settings: sizes and the seed.
macro_rules! whole_number {
    ($($t:ty),+) => {$(
        impl SettingValue for $t {
            const KIND: Kind = Kind::Int;
            fn parse(key: &str, text: &str) -> Result<Self> {
                number(key, text)
            }
            fn print(&self) -> String {
                self.to_string()
            }
            fn number(&self) -> Option<f64> {
                Some(*self as f64)
            }
        }
    )+};
}
whole_number!(usize, u64);

impl SettingValue for f32 {
    const KIND: Kind = Kind::Float;
    fn parse(key: &str, text: &str) -> Result<Self> {
        let v = super::decimal::parse_f32(text.trim())
            .ok_or_else(|| Error::config(key, text, "not a number"))?;
        if v.is_finite() {
            Ok(v)
        } else {
            Err(Error::config(key, v, "must be a finite number"))
        }
    }
    fn print(&self) -> String {
        self.to_string()
    }
    fn number(&self) -> Option<f64> {
        Some(f64::from(*self))
    }
}

/// One row of the table, as code sees it.
pub struct Setting<C: 'static> {
    /// The name in the URL hash (`seq-len`).
    pub key: &'static str,
    /// The CLI flag without `--`: the key, unless it clashes with a command's own flag.
    pub flag: &'static str,
    /// One line for the page's label tooltip and the CLI's help.
    pub doc: &'static str,
    pub group: Group,
    pub live: Live,
    pub kind: Kind,
    /// The allowed closed range of a number.
    pub range: Option<(f64, f64)>,
    pub scale: Scale,
    /// Whether the setting has any effect under `config` (momentum only for SGD, …): the page
    /// greys the control out otherwise.
    pub applies: fn(&C) -> bool,
}

/// Checks a parsed number against the row's range; the message names the setting and the range.
pub fn check_range<T: SettingValue>(key: &str, range: Option<(f64, f64)>, v: T) -> Result<T> {
    match (range, v.number()) {
        (Some((lo, hi)), Some(x)) if !(lo..=hi).contains(&x) => Err(Error::config(
            key,
            v.print(),
            format!("must be between {lo} and {hi}"),
        )),
        _ => Ok(v),
    }
}

/// A setting that is one of a few names: an enum whose variants print as lowercase names.
///
/// ```ignore
/// choice! {
///     /// How gradients are clipped.
///     pub enum ClipMode { Norm = "norm", Value = "value" }
/// }
/// ```
macro_rules! choice {
    ($(#[$meta:meta])* pub enum $name:ident {
        $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every variant, in the order the names are listed.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// Every name, in the same order.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name in configs, URLs, CLI flags and model files.
            pub fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The same as [`Self::name`].
            pub fn as_str(self) -> &'static str {
                self.name()
            }

            /// The variant called `name`.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl $crate::core::settings::SettingValue for $name {
            const KIND: $crate::core::settings::Kind =
                $crate::core::settings::Kind::Choice($name::NAMES);
            fn parse(key: &str, text: &str) -> $crate::core::error::Result<Self> {
                Self::from_name(text.trim()).ok_or_else(|| {
                    $crate::core::error::Error::config(
                        key,
                        text,
                        format!("expected one of {}", Self::NAMES.join(", ")),
                    )
                })
            }
            fn print(&self) -> String {
                self.name().to_string()
            }
            fn number(&self) -> Option<f64> {
                None
            }
        }
    };
}
pub(crate) use choice;

/// The settings table: declares the struct (one typed field per setting), its `Default`, the
/// rows' metadata (`SETTINGS`), the key list (`KEYS`) and the text accessors `set`/`get`.
///
/// A row: `field: Type = default, "key", Group, Live|Fixed, Linear|Log, [range lo => hi,]
/// [flag "cli-flag",] when applies, "doc";`.
macro_rules! settings {
    ($(#[$meta:meta])* pub struct $name:ident {
        $(
            $field:ident: $ty:ty = $default:expr, $key:literal, $group:ident, $live:ident,
            $scale:ident, $(range $lo:expr => $hi:expr,)? $(flag $flag:literal,)?
            when $applies:expr, $doc:literal;
        )+
    }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $(#[doc = $doc] pub $field: $ty,)+
        }

        impl Default for $name {
            fn default() -> Self {
                $name { $($field: $default,)+ }
            }
        }

        /// Every row of the table, in the order the URL hash lists them.
        pub static SETTINGS: &[$crate::core::settings::Setting<$name>] = &[$(
            $crate::core::settings::Setting {
                key: $key,
                flag: settings!(@flag $key $(, $flag)?),
                doc: $doc,
                group: $crate::core::settings::Group::$group,
                live: $crate::core::settings::Live::$live,
                kind: <$ty as $crate::core::settings::SettingValue>::KIND,
                range: settings!(@range $($lo, $hi)?),
                scale: $crate::core::settings::Scale::$scale,
                applies: $applies,
            },
        )+];

        /// Every key, in table order.
        pub const KEYS: &[&str] = &[$($key),+];

        impl $name {
            /// Sets one setting from its text form, validating it; the error names the setting.
            pub fn set(&mut self, key: &str, text: &str) -> $crate::core::error::Result<()> {
                use $crate::core::settings::{check_range, SettingValue};
                match key {
                    $($key => {
                        let v = <$ty as SettingValue>::parse($key, text)?;
                        self.$field = check_range($key, settings!(@range $($lo, $hi)?), v)?;
                    })+
                    _ => return Err($crate::core::error::Error::config(
                        key,
                        text,
                        format!("unknown setting; known: {}", KEYS.join(", ")),
                    )),
                }
                Ok(())
            }

            /// The text form of one setting (`None` for an unknown key).
            pub fn get(&self, key: &str) -> Option<String> {
                use $crate::core::settings::SettingValue;
                match key {
                    $($key => Some(self.$field.print()),)+
                    _ => None,
                }
            }
        }
    };
    (@range $lo:expr, $hi:expr) => { Some(($lo as f64, $hi as f64)) };
    (@range) => { None };
    (@flag $key:literal) => { $key };
    (@flag $key:literal, $flag:literal) => { $flag };
}
pub(crate) use settings;
