//! What every page asks once: the settings table its controls are built from, and the colours
//! of the charts for the few things it draws itself.

use super::types::{Palette, SettingInfo};
use crate::core::config::{Config, SETTINGS};
use crate::core::settings::{Group, Kind, Live, Scale};
use crate::render::{css, diverging_lut, sequential_lut, NAN_COLOUR, PALETTE};

/// Points of each colour scale handed to the page.
const LUT_SIZE: usize = 256;

fn group(g: Group) -> &'static str {
    match g {
        Group::Task => "task",
        Group::Model => "model",
        Group::Init => "init",
        Group::Training => "training",
    }
}

/// Every row of the settings table, with the defaults printed and whether each setting has
/// any effect under `config`.
pub fn settings_table(config: &Config) -> Vec<SettingInfo> {
    let defaults = Config::default();
    SETTINGS
        .iter()
        .map(|s| {
            let (kind, choices) = match s.kind {
                Kind::Int => ("int", Vec::new()),
                Kind::Float => ("float", Vec::new()),
                Kind::Choice(names) => ("choice", names.to_vec()),
            };
            SettingInfo {
                key: s.key,
                doc: s.doc,
                group: group(s.group),
                live: s.live == Live::Live,
                kind,
                choices,
                min: s.range.map(|r| r.0),
                max: s.range.map(|r| r.1),
                log: s.scale == Scale::Log,
                default: defaults.get(s.key).unwrap_or_default(),
                applies: (s.applies)(config),
            }
        })
        .collect()
}

/// The palette and both colour scales as lookup tables.
pub fn palette() -> Palette {
    Palette {
        series: PALETTE.iter().map(|&c| css(c)).collect(),
        diverging: diverging_lut(LUT_SIZE),
        sequential: sequential_lut(LUT_SIZE),
        lut_size: LUT_SIZE as u32,
        missing: css(NAN_COLOUR),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_describes_every_setting_once() {
        let sgd = Config {
            optimizer: crate::core::optim::OptimizerType::Sgd,
            ..Config::default()
        };
        let t = settings_table(&sgd);
        assert_eq!(t.len(), crate::core::config::KEYS.len());
        let row = |k: &str| t.iter().find(|r| r.key == k).unwrap();
        assert_eq!((row("cell").kind, row("cell").choices.len()), ("choice", 3));
        assert_eq!(
            (row("hidden").min, row("hidden").default.as_str()),
            (Some(1.0), "128")
        );
        assert!(row("lr").log && row("lr").live && !row("hidden").live);
        assert!(row("momentum").applies && !row("gain").applies);
        assert_eq!(row("task").group, "task");
    }

    #[test]
    fn the_palette_is_the_renderer_s() {
        let p = palette();
        assert_eq!(p.series[0], css(PALETTE[0]));
        assert_eq!(p.diverging.len(), 4 * LUT_SIZE);
        assert_eq!(p.missing, css(NAN_COLOUR));
    }
}
