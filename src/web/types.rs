//! The values that cross to JavaScript: plain serde structs that arrive as plain objects
//! (camelCase keys), described in the generated TypeScript (`src/web/api/playground.d.ts`, `lab.d.ts`). Natively they
//! are ordinary structs, which the unit tests read.

use serde::{Serialize, Serializer};

/// Declares boundary structs: serialisable in camelCase, with a TypeScript interface in wasm.
macro_rules! boundary {
    ($($(#[$meta:meta])* pub struct $name:ident { $($body:tt)* })+) => {$(
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Serialize)]
        #[serde(rename_all = "camelCase")]
        // Flattened fields go through serde's map path: plain objects, not ES `Map`s.
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify), tsify(hashmap_as_object))]
        pub struct $name { $($body)* }
    )+};
}

/// Numbers for JavaScript as one `Float32Array` (natively, a plain list).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Floats(pub Vec<f32>);

impl Serialize for Floats {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[cfg(target_arch = "wasm32")]
        {
            let array = js_sys::Float32Array::from(&self.0[..]);
            serde_wasm_bindgen::preserve::serialize(&array, s)
        }
        #[cfg(not(target_arch = "wasm32"))]
        {
            self.0.serialize(s)
        }
    }
}

impl<T: Into<f64>> FromIterator<T> for Floats {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> Self {
        Floats(it.into_iter().map(|x| x.into() as f32).collect())
    }
}

#[cfg(target_arch = "wasm32")]
#[wasm_bindgen::prelude::wasm_bindgen(typescript_custom_section)]
const FLOATS: &str =
    "/** Numbers from the model, one Float32Array. */\nexport type Floats = Float32Array;";

impl StepReport {
    /// The report of `st`, with the smoothed loss after it.
    pub fn new(st: &crate::core::StepStats, smooth: f64) -> Self {
        StepReport {
            step: st.step as f64,
            loss: f64::from(st.loss),
            accuracy: st.accuracy.map_or(f64::NAN, f64::from),
            grad_norm: f64::from(st.grad_norm),
            grad_norm_clipped: f64::from(st.grad_norm_clipped),
            clipped: st.clipped,
            chars: st.chars as f64,
            reset: st.reset,
            smooth,
        }
    }
}

impl ModelInfo {
    /// The shape of `m`.
    pub fn of(m: &crate::core::Model) -> Self {
        let s = &m.spec;
        ModelInfo {
            cell: s.cell.name(),
            nonlinearity: s.cell.nonlinearity(),
            layers: s.layers as u32,
            hidden: s.hidden as u32,
            gates: s.cell.cell().gate_names().to_vec(),
            params: s.param_count() as f64,
            vocab: s.vocab.iter().collect(),
        }
    }
}

boundary! {
    /// One training step.
    pub struct StepReport {
        pub step: f64,
        pub loss: f64,
        /// NaN when the step has no accuracy (text).
        pub accuracy: f64,
        /// The global gradient norm before clipping …
        pub grad_norm: f64,
        /// … and after it (what the update used).
        pub grad_norm_clipped: f64,
        pub clipped: bool,
        /// Characters trained on so far.
        pub chars: f64,
        /// Whether the carried state was reset at this step (the text wrapped around).
        pub reset: bool,
        /// The smoothed loss after this step.
        pub smooth: f64,
    }

    /// What one call to `trainFor` did.
    pub struct TrainReport {
        pub steps: u32,
        /// Milliseconds spent in all …
        pub ms: f64,
        /// … of them on a pending validation loss.
        pub val_ms: f64,
        pub last: StepReport,
    }

    /// A URL hash read leniently: the settings it could use and one notice per entry skipped.
    pub struct ParsedQuery {
        pub query: String,
        pub notices: Vec<String>,
    }

    /// One setting of the table, for the page's controls.
    pub struct SettingInfo {
        pub key: &'static str,
        pub doc: &'static str,
        #[cfg_attr(target_arch = "wasm32", tsify(type = "\"task\" | \"model\" | \"init\" | \"training\""))]
        pub group: &'static str,
        /// Whether changing it keeps the trained model.
        pub live: bool,
        #[cfg_attr(target_arch = "wasm32", tsify(type = "\"int\" | \"float\" | \"choice\""))]
        pub kind: &'static str,
        /// The names a choice can take (empty for numbers).
        pub choices: Vec<&'static str>,
        pub min: Option<f64>,
        pub max: Option<f64>,
        /// A log scale suits it (the learning rate).
        pub log: bool,
        pub default: String,
        /// Whether it has any effect under the settings it was asked for.
        pub applies: bool,
    }

    /// The model's shape.
    pub struct ModelInfo {
        /// `rnn`, `lstm` or `gru`.
        pub cell: &'static str,
        pub nonlinearity: &'static str,
        pub layers: u32,
        pub hidden: u32,
        /// Gate names in PyTorch's order (`["h"]` for a plain RNN).
        pub gates: Vec<&'static str>,
        pub params: f64,
        /// The characters, in index order (empty for real-valued tasks).
        pub vocab: String,
    }

    /// The playground's model and its text.
    pub struct TextInfo {
        #[serde(flatten)]
        pub model: ModelInfo,
        pub train_chars: f64,
        pub val_chars: f64,
        /// `ln V` (uniform guess) and the unigram entropy, nats/char.
        pub uniform: f64,
        pub unigram: f64,
    }

    /// The heatmap cell under the pointer.
    pub struct HeatCell {
        pub unit: u32,
        pub t: u32,
        /// The input character there ("" when unknown).
        pub char: String,
        pub value: f64,
    }

    /// A generated text and the distribution its last character was drawn from.
    pub struct Sampled {
        pub text: String,
        /// The last character drawn.
        pub picked: String,
        /// The likeliest characters there, `[char, probability]`.
        pub top: Vec<(String, f64)>,
    }

    /// The lab's model and its task.
    pub struct LabInfo {
        #[serde(flatten)]
        pub model: ModelInfo,
        pub task: &'static str,
        pub task_len: u32,
        /// Steps of a training window.
        pub window_len: u32,
        /// Whether it reads and predicts real numbers (adding, sine).
        pub real: bool,
        pub baseline_loss: f64,
        pub baseline_accuracy: f64,
        pub baseline_name: String,
        /// What the task asks of the model, in a sentence or two.
        pub about: &'static str,
    }

    /// The numbers beside the lab's charts.
    pub struct Readouts {
        pub step: f64,
        pub loss: f64,
        pub last_loss: f64,
        pub accuracy: f64,
        pub recent_accuracy: f64,
        pub clip_fraction: f64,
        pub clip_recent: f64,
        pub grad_norm: f64,
        pub grad_norm_clipped: f64,
        /// Per layer: the geometric-mean factor per step back of `‖∂L_T/∂h_t‖` …
        pub shrink: Floats,
        /// … and `‖∂L_T/∂h_T‖ / ‖∂L_T/∂h_0‖`.
        pub fall: Floats,
        pub sigma_max: Floats,
        pub saturation: Floats,
        pub diverged: bool,
    }

    /// One gate's activations at one step.
    pub struct GateColumn {
        pub name: &'static str,
        pub values: Floats,
    }

    /// One time step of the latest window, column by column (`cPrev`, `c` empty unless LSTM).
    pub struct StepColumns {
        pub t: u32,
        pub steps: u32,
        /// What went in, in words.
        pub input: String,
        pub x: Floats,
        pub x_labels: Vec<String>,
        pub h_prev: Floats,
        pub c_prev: Floats,
        pub gates: Vec<GateColumn>,
        pub c: Floats,
        pub h: Floats,
        /// `∂L/∂h_t`, the backward signal.
        pub dh: Floats,
    }

    /// A typed text as the model read it.
    pub struct TextRun {
        /// The characters used, one string each.
        pub chars: Vec<String>,
        /// Connectivity per character, or `h_t` of every unit (`[t·hidden + j]`).
        pub values: Floats,
        /// Units per character in `values` (1 for connectivity).
        pub hidden: u32,
        /// The character predicted after the last one ("" for activations).
        pub predicted: String,
        /// Characters left out (not in the vocabulary).
        pub skipped: String,
        /// Whether the text was cut to the longest the view runs.
        pub cut: bool,
    }

    /// The one-unit latch: its state and `∂h_T/∂h_t`.
    pub struct Latch {
        pub h: Floats,
        pub d: Floats,
    }

    /// One model of a race.
    pub struct Lane {
        pub label: String,
        pub cell: &'static str,
        pub nonlinearity: &'static str,
        /// Its colour in the charts, `#rrggbb`.
        pub colour: String,
        pub hidden: u32,
        pub params: f64,
        pub step: f64,
        pub loss: f64,
        pub accuracy: f64,
        pub fall: f64,
        pub shrink: f64,
        /// Why it stopped (it diverged), if it did.
        pub stopped: Option<String>,
    }

    /// A race or sweep entry the page offers: its name (`rnn+clip`) and label.
    pub struct EntryInfo {
        pub name: String,
        pub label: String,
    }

    /// What one call to the race's `trainFor` did.
    pub struct RaceReport {
        pub rounds: u32,
        pub ms: f64,
    }

    /// How far the state-space search is, and what it found.
    pub struct StatesReport {
        /// Starts run, of `starts`.
        pub done: u32,
        pub starts: u32,
        /// Distinct points below the tolerance so far.
        pub found: u32,
        /// Every start has run and the points are classified.
        pub finished: bool,
        pub stable: u32,
        pub unstable: u32,
        /// The largest `q` of the points (NaN before the end or with none).
        pub max_q: f64,
        /// Milliseconds spent searching.
        pub ms: f64,
        /// The training step of the model searched.
        pub step: f64,
    }

    /// How far a sweep is.
    pub struct SweepProgress {
        pub done: bool,
        pub finished: u32,
        pub jobs: u32,
        /// The run in progress, in words.
        pub current: String,
        pub step: f64,
    }

    /// One finished run of a sweep.
    pub struct SweepResult {
        pub label: String,
        pub lag: u32,
        pub success: f64,
        pub steps: f64,
    }

    /// A text handed to the inspector: the characters it reads (those the model knows).
    pub struct InspectText {
        pub chars: Vec<String>,
        /// Characters left out (not in the vocabulary), each once.
        pub skipped: String,
        /// Whether the text was cut to `limit` characters.
        pub cut: bool,
        pub limit: u32,
    }

    /// One inspected character: what it cost and what the model expected after it.
    pub struct InspectPoint {
        pub t: u32,
        pub char: String,
        /// `−log p` of this character given the ones before (nats; NaN for the first).
        pub surprise: f64,
        /// The likeliest next characters, `[char, probability]`.
        pub top: Vec<(String, f64)>,
    }

    /// How far the inspector has read: `read` of `of` characters, `done` when the answers are
    /// the new reading's.
    pub struct InspectProgress {
        pub done: bool,
        pub read: u32,
        pub of: u32,
    }

    /// Why a loaded model does not train yet: the characters of the text it does not know.
    pub struct UnknownChars {
        pub chars: String,
        pub message: String,
    }

    /// A unit and how closely its h follows a feature.
    pub struct UnitScore {
        pub layer: u32,
        pub unit: u32,
        /// Pearson's r over the text's characters.
        pub r: f64,
    }

    /// The colours every chart uses, for the parts the page draws itself.
    pub struct Palette {
        /// The categorical colours, `#rrggbb`.
        pub series: Vec<String>,
        /// RGBA of the diverging scale at `lutSize` points from −1 to +1.
        pub diverging: Vec<u8>,
        /// RGBA of the sequential scale at `lutSize` points from 0 to 1.
        pub sequential: Vec<u8>,
        pub lut_size: u32,
        /// The colour of a missing value, `#rrggbb`.
        pub missing: String,
    }
}

boundary! {
    /// The series the Series page trains on, and how.
    pub struct SeriesInfo {
        pub column: String,
        /// Values in the series …
        pub len: u32,
        /// … of which the first these many are the training part.
        pub train_len: u32,
        /// The training part's mean and standard deviation (the normalisation).
        pub mean: f64,
        pub std: f64,
        /// Values per training window, and of context before a forecast.
        pub window: u32,
        pub parameters: f64,
        /// MSE of repeating the last value, on the training part's normalised scale (the
        /// loss chart's baseline).
        pub baseline_loss: f64,
    }

    /// The MSEs of a forecast from a cut point and of the baselines over the values after the cut, in the series'
    /// units squared (NaN where there is nothing to score).
    pub struct ForecastScores {
        pub cut: u32,
        /// Values forecast and scored.
        pub horizon: u32,
        pub mse: f64,
        pub naive_mse: f64,
        pub seasonal_mse: f64,
        /// MSE of the one-step predictions of the same values.
        pub one_step_mse: f64,
    }
}
