/* tslint:disable */
/* eslint-disable */
/**
 * A URL hash read leniently: the settings it could use and one notice per entry skipped.
 */
export interface ParsedQuery {
    query: string;
    notices: string[];
}

/**
 * A generated text and the distribution its last character was drawn from.
 */
export interface Sampled {
    text: string;
    /**
     * The last character drawn.
     */
    picked: string;
    /**
     * The likeliest characters there, `[char, probability]`.
     */
    top: [string, number][];
}

/**
 * A race or sweep entry the page offers: its name (`rnn+clip`) and label.
 */
export interface EntryInfo {
    name: string;
    label: string;
}

/**
 * A text handed to the inspector: the characters it reads (those the model knows).
 */
export interface InspectText {
    chars: string[];
    /**
     * Characters left out (not in the vocabulary), each once.
     */
    skipped: string;
    /**
     * Whether the text was cut to `limit` characters.
     */
    cut: boolean;
    limit: number;
}

/**
 * A typed text as the model read it.
 */
export interface TextRun {
    /**
     * The characters used, one string each.
     */
    chars: string[];
    /**
     * Connectivity per character, or `h_t` of every unit (`[t·hidden + j]`).
     */
    values: Floats;
    /**
     * Units per character in `values` (1 for connectivity).
     */
    hidden: number;
    /**
     * The character predicted after the last one ("" for activations).
     */
    predicted: string;
    /**
     * Characters left out (not in the vocabulary).
     */
    skipped: string;
    /**
     * Whether the text was cut to the longest the view runs.
     */
    cut: boolean;
}

/**
 * A unit and how closely its h follows a feature.
 */
export interface UnitScore {
    layer: number;
    unit: number;
    /**
     * Pearson's r over the text's characters.
     */
    r: number;
}

/**
 * How far a sweep is.
 */
export interface SweepProgress {
    done: boolean;
    finished: number;
    jobs: number;
    /**
     * The run in progress, in words.
     */
    current: string;
    step: number;
}

/**
 * How far the inspector has read: `read` of `of` characters, `done` when the answers are
 * the new reading's.
 */
export interface InspectProgress {
    done: boolean;
    read: number;
    of: number;
}

/**
 * How far the state-space search is, and what it found.
 */
export interface StatesReport {
    /**
     * Starts run, of `starts`.
     */
    done: number;
    starts: number;
    /**
     * Distinct points below the tolerance so far.
     */
    found: number;
    /**
     * Every start has run and the points are classified.
     */
    finished: boolean;
    stable: number;
    unstable: number;
    /**
     * The largest `q` of the points (NaN before the end or with none).
     */
    maxQ: number;
    /**
     * Milliseconds spent searching.
     */
    ms: number;
    /**
     * The training step of the model searched.
     */
    step: number;
}

/**
 * One finished run of a sweep.
 */
export interface SweepResult {
    label: string;
    lag: number;
    success: number;
    steps: number;
}

/**
 * One gate's activations at one step.
 */
export interface GateColumn {
    name: string;
    values: Floats;
}

/**
 * One inspected character: what it cost and what the model expected after it.
 */
export interface InspectPoint {
    t: number;
    char: string;
    /**
     * `−log p` of this character given the ones before (nats; NaN for the first).
     */
    surprise: number;
    /**
     * The likeliest next characters, `[char, probability]`.
     */
    top: [string, number][];
}

/**
 * One model of a race.
 */
export interface Lane {
    label: string;
    cell: string;
    nonlinearity: string;
    /**
     * Its colour in the charts, `#rrggbb`.
     */
    colour: string;
    hidden: number;
    params: number;
    step: number;
    loss: number;
    accuracy: number;
    fall: number;
    shrink: number;
    /**
     * Why it stopped (it diverged), if it did.
     */
    stopped: string | undefined;
}

/**
 * One setting of the table, for the page's controls.
 */
export interface SettingInfo {
    key: string;
    doc: string;
    group: "task" | "model" | "init" | "training";
    /**
     * Whether changing it keeps the trained model.
     */
    live: boolean;
    kind: "int" | "float" | "choice";
    /**
     * The names a choice can take (empty for numbers).
     */
    choices: string[];
    min: number | undefined;
    max: number | undefined;
    /**
     * A log scale suits it (the learning rate).
     */
    log: boolean;
    default: string;
    /**
     * Whether it has any effect under the settings it was asked for.
     */
    applies: boolean;
}

/**
 * One time step of the latest window, column by column (`cPrev`, `c` empty unless LSTM).
 */
export interface StepColumns {
    t: number;
    steps: number;
    /**
     * What went in, in words.
     */
    input: string;
    x: Floats;
    xLabels: string[];
    hPrev: Floats;
    cPrev: Floats;
    gates: GateColumn[];
    c: Floats;
    h: Floats;
    /**
     * `∂L/∂h_t`, the backward signal.
     */
    dh: Floats;
}

/**
 * One training step.
 */
export interface StepReport {
    step: number;
    loss: number;
    /**
     * NaN when the step has no accuracy (text).
     */
    accuracy: number;
    /**
     * The global gradient norm before clipping …
     */
    gradNorm: number;
    /**
     * … and after it (what the update used).
     */
    gradNormClipped: number;
    clipped: boolean;
    /**
     * Characters trained on so far.
     */
    chars: number;
    /**
     * Whether the carried state was reset at this step (the text wrapped around).
     */
    reset: boolean;
    /**
     * The smoothed loss after this step.
     */
    smooth: number;
}

/**
 * The MSEs of a forecast from a cut point and of the baselines over the values after the cut, in the series'
 * units squared (NaN where there is nothing to score).
 */
export interface ForecastScores {
    cut: number;
    /**
     * Values forecast and scored.
     */
    horizon: number;
    mse: number;
    naiveMse: number;
    seasonalMse: number;
    /**
     * MSE of the one-step predictions of the same values.
     */
    oneStepMse: number;
}

/**
 * The colours every chart uses, for the parts the page draws itself.
 */
export interface Palette {
    /**
     * The categorical colours, `#rrggbb`.
     */
    series: string[];
    /**
     * RGBA of the diverging scale at `lutSize` points from −1 to +1.
     */
    diverging: number[];
    /**
     * RGBA of the sequential scale at `lutSize` points from 0 to 1.
     */
    sequential: number[];
    lutSize: number;
    /**
     * The colour of a missing value, `#rrggbb`.
     */
    missing: string;
}

/**
 * The heatmap cell under the pointer.
 */
export interface HeatCell {
    unit: number;
    t: number;
    /**
     * The input character there ("" when unknown).
     */
    char: string;
    value: number;
}

/**
 * The lab's model and its task.
 */
export interface LabInfo extends ModelInfo {
    task: string;
    taskLen: number;
    /**
     * Steps of a training window.
     */
    windowLen: number;
    /**
     * Whether it reads and predicts real numbers (adding, sine).
     */
    real: boolean;
    baselineLoss: number;
    baselineAccuracy: number;
    baselineName: string;
    /**
     * What the task asks of the model, in a sentence or two.
     */
    about: string;
}

/**
 * The model's shape.
 */
export interface ModelInfo {
    /**
     * `rnn`, `lstm` or `gru`.
     */
    cell: string;
    nonlinearity: string;
    layers: number;
    hidden: number;
    /**
     * Gate names in PyTorch's order (`["h"]` for a plain RNN).
     */
    gates: string[];
    params: number;
    /**
     * The characters, in index order (empty for real-valued tasks).
     */
    vocab: string;
}

/**
 * The numbers beside the lab's charts.
 */
export interface Readouts {
    step: number;
    loss: number;
    lastLoss: number;
    accuracy: number;
    recentAccuracy: number;
    clipFraction: number;
    clipRecent: number;
    gradNorm: number;
    gradNormClipped: number;
    /**
     * Per layer: the geometric-mean factor per step back of `‖∂L_T/∂h_t‖` …
     */
    shrink: Floats;
    /**
     * … and `‖∂L_T/∂h_T‖ / ‖∂L_T/∂h_0‖`.
     */
    fall: Floats;
    sigmaMax: Floats;
    saturation: Floats;
    diverged: boolean;
}

/**
 * The one-unit latch: its state and `∂h_T/∂h_t`.
 */
export interface Latch {
    h: Floats;
    d: Floats;
}

/**
 * The playground's model and its text.
 */
export interface TextInfo extends ModelInfo {
    trainChars: number;
    valChars: number;
    /**
     * `ln V` (uniform guess) and the unigram entropy, nats/char.
     */
    uniform: number;
    unigram: number;
}

/**
 * The series the Series page trains on, and how.
 */
export interface SeriesInfo {
    column: string;
    /**
     * Values in the series …
     */
    len: number;
    /**
     * … of which the first these many are the training part.
     */
    trainLen: number;
    /**
     * The training part's mean and standard deviation (the normalisation).
     */
    mean: number;
    std: number;
    /**
     * Values per training window, and of context before a forecast.
     */
    window: number;
    parameters: number;
    /**
     * MSE of repeating the last value, on the training part's normalised scale (the
     * loss chart's baseline).
     */
    baselineLoss: number;
}

/**
 * What one call to `trainFor` did.
 */
export interface TrainReport {
    steps: number;
    /**
     * Milliseconds spent in all …
     */
    ms: number;
    /**
     * … of them on a pending validation loss.
     */
    valMs: number;
    last: StepReport;
}

/**
 * What one call to the race's `trainFor` did.
 */
export interface RaceReport {
    rounds: number;
    ms: number;
}

/**
 * Why a loaded model does not train yet: the characters of the text it does not know.
 */
export interface UnknownChars {
    chars: string;
    message: string;
}

/** Numbers from the model, one Float32Array. */
export type Floats = Float32Array;


/**
 * The teaching lab's model, with its views.
 */
export class Lab {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * `h_t` of every unit of `layer` at every character of `input`.
     */
    activations(input: string, layer: number): TextRun;
    /**
     * How strongly the prediction after `input` depends on each of its characters.
     */
    connectivity(input: string): TextRun;
    /**
     * The page's default settings as a query.
     */
    static defaultQuery(): string;
    /**
     * Whether the latest step failed because training diverged.
     */
    diverged(): boolean;
    /**
     * Draws accuracy against step with chance.
     */
    drawAccuracy(canvas: HTMLCanvasElement): void;
    /**
     * Draws the gradient norm before and after clipping, with the threshold.
     */
    drawClip(canvas: HTMLCanvasElement): void;
    /**
     * Draws `log10 ‖∂L_T/∂h_t‖` by training step and lag.
     */
    drawFlowHeat(canvas: HTMLCanvasElement): void;
    /**
     * Draws `‖∂L_T/∂h_t‖` against lag for the latest step.
     */
    drawFlow(canvas: HTMLCanvasElement): void;
    /**
     * Draws the latch: `h_t` on `h_canvas`, `|∂h_T/∂h_t|` on `d_canvas`.
     */
    static drawLatch(h_canvas: HTMLCanvasElement, d_canvas: HTMLCanvasElement, w: number, h0: number, pulse: number, steps: number): void;
    /**
     * Draws the loss chart on `canvas`.
     */
    drawLoss(canvas: HTMLCanvasElement): void;
    /**
     * The cell's equations for `unit` at step `t` of `layer`, filled in, one line each.
     */
    equations(layer: number, t: number, unit: number): string[];
    /**
     * `‖∂L_T/∂h_t‖` of the latest step for `layer`, `t = 0..T`.
     */
    flowProfile(layer: number): Float32Array | undefined;
    /**
     * The loss history, one row per step, as CSV.
     */
    historyCsv(): string;
    /**
     * The model, its task and the task's baseline.
     */
    info(): LabInfo;
    /**
     * The latch `h_t = tanh(w·h_{t−1} + x_t)` after a pulse: `h` and `∂h_T/∂h_t`.
     */
    static latch(w: number, h0: number, pulse: number, steps: number): Latch;
    /**
     * A fresh model for `query`; `text` is used when `task=text`; a bad setting throws.
     */
    constructor(query: string, text: string);
    /**
     * Reads a URL hash leniently over the page's defaults: the usable settings and a
     * notice per entry skipped.
     */
    static parseQuery(hash: string): ParsedQuery;
    /**
     * The settings as a query for the URL hash.
     */
    query(): string;
    /**
     * The numbers beside the charts.
     */
    readouts(): Readouts;
    /**
     * Goes back to the last good snapshot (every 50 steps); returns its step.
     */
    rollback(): number;
    /**
     * A text to look at: sampled (text model) or a fresh episode (symbol task).
     */
    sampleText(len: number, temperature: number, seed: number): string;
    /**
     * Applies a setting that keeps the model (see `settingsTable`); returns the query.
     */
    setLive(key: string, value: string): string;
    /**
     * The columns of step `t` of `layer` in the latest window.
     */
    stepColumns(layer: number, t: number): StepColumns;
    /**
     * Exactly one training step (with diagnostics); a divergence throws.
     */
    step(): StepReport;
    /**
     * Steps done.
     */
    steps(): number;
    /**
     * Shows what `syncOut` (and `weights`, unless empty) of the model this one
     * mirrors gave; nothing changes on an error.
     */
    syncIn(head: Float64Array | number[], states: Float32Array | number[], weights: Float32Array | number[]): void;
    /**
     * What a copy of this model (the page's, when a worker trains) lacks since the
     * last call: the counters and new history, and the latest step's states when a
     * step was taken since (else empty); for the copy's `syncIn`.
     */
    syncOut(): [Float64Array, Float32Array];
    /**
     * Trains up to `max_steps` within about `budget_ms` (at least one step).
     */
    trainFor(max_steps: number, budget_ms: number): TrainReport;
    /**
     * Every weight, for a copy's `syncIn`.
     */
    weights(): Float32Array;
    /**
     * The input characters of the latest window, one string each.
     */
    windowChars(): string[];
    /**
     * Steps of the latest window (0 before the first step).
     */
    windowLen(): number;
}

/**
 * RNN, LSTM and GRU side by side on the lab's task.
 */
export class LabRace {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The cells a race or a sweep can take, by name.
     */
    static cells(): string[];
    /**
     * The table of lanes as CSV, one row per lane.
     */
    csv(): string;
    /**
     * Draws the smoothed accuracy of every lane, with chance.
     */
    drawAccuracy(canvas: HTMLCanvasElement): void;
    /**
     * Draws every lane's latest `‖∂L_T/∂h_t‖` against lag.
     */
    drawFlow(canvas: HTMLCanvasElement): void;
    /**
     * Draws the smoothed loss of every lane.
     */
    drawLoss(canvas: HTMLCanvasElement): void;
    /**
     * Every lane as the table shows it.
     */
    lanes(): Lane[];
    /**
     * A race of `cells` (`rnn,lstm,gru`), with matched parameter counts if `equal_params`.
     */
    constructor(query: string, text: string, cells: string, equal_params: boolean);
    /**
     * The remedy entries a race or a sweep can take (`rnn+clip`, …), with their labels.
     */
    static remedies(): EntryInfo[];
    /**
     * Steps every running lane per round, up to `max_rounds` within about `budget_ms`.
     */
    trainFor(max_rounds: number, budget_ms: number): RaceReport;
}

/**
 * The state space of the lab's model: its states on fresh episodes, on two principal
 * components, and the fixed points of its dynamics, searched in time slices.
 */
export class LabStates {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Searches for about `budget_ms`.
     */
    advance(budget_ms: number): StatesReport;
    /**
     * Draws the states' paths and the fixed points found.
     */
    draw(canvas: HTMLCanvasElement): void;
    /**
     * A search of `lab`'s model as it is now, seeded by `seed`; a model too big for the page
     * throws.
     */
    constructor(lab: Lab, seed: number);
    /**
     * How far the search is, and what it found.
     */
    report(): StatesReport;
}

/**
 * Delayed recall at growing lags for each cell, trained in time slices.
 */
export class LabSweep {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The finished runs as CSV, one row per cell and lag.
     */
    csv(): string;
    /**
     * Draws success rate against lag, one line per cell.
     */
    draw(canvas: HTMLCanvasElement): void;
    /**
     * A sweep of `cells` over `lags` (`5,10,20`), each run at most `max_steps` steps.
     */
    constructor(query: string, cells: string, lags: string, max_steps: number);
    /**
     * The finished runs.
     */
    results(): SweepResult[];
    /**
     * Trains for about `budget_ms`; how far the sweep is.
     */
    work(budget_ms: number): SweepProgress;
}

/**
 * A model learning the next value of a time series (one column of a CSV), for the Series page.
 */
export class SeriesModel {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * The numeric columns of the CSV text `csv`; throws when it has none.
     */
    static columns(csv: string): string[];
    /**
     * The cut point under pixel column `x` of the forecast chart `width` pixels wide.
     */
    cutAt(width: number, x: number): number;
    /**
     * The page's default settings as a query.
     */
    static defaultQuery(): string;
    /**
     * Whether the latest step failed because training diverged.
     */
    diverged(): boolean;
    /**
     * Draws the loss chart on `canvas`.
     */
    drawLoss(canvas: HTMLCanvasElement): void;
    /**
     * Draws the series, the one-step prediction and the forecast of `horizon` values from
     * `cut` on `canvas`; returns the MSEs of the forecast and of the baselines.
     */
    forecast(canvas: HTMLCanvasElement, cut: number, horizon: number, season: number): ForecastScores;
    /**
     * The loss history, one row per step, as CSV.
     */
    historyCsv(): string;
    /**
     * The series, its split and normalisation, and the model's size.
     */
    info(): SeriesInfo;
    /**
     * A fresh model for `query` on column `column` of the CSV text `csv`; bad input throws.
     */
    constructor(query: string, csv: string, column: string);
    /**
     * Reads a URL hash leniently over the page's defaults: the usable settings and a
     * notice per entry skipped.
     */
    static parseQuery(hash: string): ParsedQuery;
    /**
     * The settings as a query for the URL hash.
     */
    query(): string;
    /**
     * Goes back to the last good snapshot (every 50 steps); returns its step.
     */
    rollback(): number;
    /**
     * Applies a setting that keeps the model (see `settingsTable`); returns the query.
     */
    setLive(key: string, value: string): string;
    /**
     * The settings table for the Series page's controls (the common one, attention off),
     * each with whether it applies under `query`.
     */
    static settingsTable(query: string): SettingInfo[];
    /**
     * The smoothed training loss (NaN before the first step).
     */
    smoothLoss(): number;
    /**
     * Exactly one training step (with diagnostics); a divergence throws.
     */
    step(): StepReport;
    /**
     * Steps done.
     */
    steps(): number;
    /**
     * Trains up to `max_steps` within about `budget_ms` (at least one step).
     */
    trainFor(max_steps: number, budget_ms: number): TrainReport;
}

/**
 * Calls `draw(canvas)` with its chart drawn into an SVG document instead: the SVG, or `null`.
 */
export function captureSvg(canvas: HTMLCanvasElement, draw: Function): string | null;

/**
 * The colours of every chart, for what the page draws itself.
 */
export function palette(): Palette;

/**
 * The settings table for the page's controls, each with whether it applies under `query`.
 */
export function settingsTable(query: string): SettingInfo[];

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    readonly memory: WebAssembly.Memory;
    readonly __wbg_lab_free: (a: number, b: number) => void;
    readonly __wbg_labrace_free: (a: number, b: number) => void;
    readonly __wbg_labstates_free: (a: number, b: number) => void;
    readonly __wbg_labsweep_free: (a: number, b: number) => void;
    readonly __wbg_seriesmodel_free: (a: number, b: number) => void;
    readonly captureSvg: (a: any, b: any) => [number, number, number];
    readonly lab_activations: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly lab_connectivity: (a: number, b: number, c: number) => [number, number, number];
    readonly lab_defaultQuery: () => [number, number];
    readonly lab_diverged: (a: number) => number;
    readonly lab_drawAccuracy: (a: number, b: any) => [number, number];
    readonly lab_drawClip: (a: number, b: any) => [number, number];
    readonly lab_drawFlow: (a: number, b: any) => [number, number];
    readonly lab_drawFlowHeat: (a: number, b: any) => [number, number];
    readonly lab_drawLatch: (a: any, b: any, c: number, d: number, e: number, f: number) => [number, number];
    readonly lab_drawLoss: (a: number, b: any) => [number, number];
    readonly lab_equations: (a: number, b: number, c: number, d: number) => [number, number, number, number];
    readonly lab_flowProfile: (a: number, b: number) => [number, number];
    readonly lab_historyCsv: (a: number) => [number, number];
    readonly lab_info: (a: number) => [number, number, number];
    readonly lab_latch: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly lab_new: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly lab_parseQuery: (a: number, b: number) => [number, number, number];
    readonly lab_query: (a: number) => [number, number];
    readonly lab_readouts: (a: number) => [number, number, number];
    readonly lab_rollback: (a: number) => number;
    readonly lab_sampleText: (a: number, b: number, c: number, d: number) => [number, number, number, number];
    readonly lab_setLive: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly lab_step: (a: number) => [number, number, number];
    readonly lab_stepColumns: (a: number, b: number, c: number) => [number, number, number];
    readonly lab_steps: (a: number) => number;
    readonly lab_syncIn: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly lab_syncOut: (a: number) => [number, number, number];
    readonly lab_trainFor: (a: number, b: number, c: number) => [number, number, number];
    readonly lab_weights: (a: number) => [number, number];
    readonly lab_windowChars: (a: number) => [number, number];
    readonly lab_windowLen: (a: number) => number;
    readonly labrace_cells: () => [number, number];
    readonly labrace_csv: (a: number) => [number, number];
    readonly labrace_drawAccuracy: (a: number, b: any) => [number, number];
    readonly labrace_drawFlow: (a: number, b: any) => [number, number];
    readonly labrace_drawLoss: (a: number, b: any) => [number, number];
    readonly labrace_lanes: (a: number) => [number, number, number, number];
    readonly labrace_new: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number];
    readonly labrace_remedies: () => [number, number, number, number];
    readonly labrace_trainFor: (a: number, b: number, c: number) => [number, number, number];
    readonly labstates_advance: (a: number, b: number) => [number, number, number];
    readonly labstates_draw: (a: number, b: any) => [number, number];
    readonly labstates_new: (a: number, b: number) => [number, number, number];
    readonly labstates_report: (a: number) => [number, number, number];
    readonly labsweep_csv: (a: number) => [number, number];
    readonly labsweep_draw: (a: number, b: any) => [number, number];
    readonly labsweep_new: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number, number];
    readonly labsweep_results: (a: number) => [number, number, number, number];
    readonly labsweep_work: (a: number, b: number) => [number, number, number];
    readonly palette: () => [number, number, number];
    readonly seriesmodel_columns: (a: number, b: number) => [number, number, number, number];
    readonly seriesmodel_cutAt: (a: number, b: number, c: number) => number;
    readonly seriesmodel_defaultQuery: () => [number, number];
    readonly seriesmodel_diverged: (a: number) => number;
    readonly seriesmodel_drawLoss: (a: number, b: any) => [number, number];
    readonly seriesmodel_forecast: (a: number, b: any, c: number, d: number, e: number) => [number, number, number];
    readonly seriesmodel_historyCsv: (a: number) => [number, number];
    readonly seriesmodel_info: (a: number) => [number, number, number];
    readonly seriesmodel_new: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly seriesmodel_parseQuery: (a: number, b: number) => [number, number, number];
    readonly seriesmodel_query: (a: number) => [number, number];
    readonly seriesmodel_rollback: (a: number) => number;
    readonly seriesmodel_setLive: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly seriesmodel_settingsTable: (a: number, b: number) => [number, number, number, number];
    readonly seriesmodel_smoothLoss: (a: number) => number;
    readonly seriesmodel_step: (a: number) => [number, number, number];
    readonly seriesmodel_steps: (a: number) => number;
    readonly seriesmodel_trainFor: (a: number, b: number, c: number) => [number, number, number];
    readonly settingsTable: (a: number, b: number) => [number, number, number, number];
    readonly __wbindgen_malloc: (a: number, b: number) => number;
    readonly __wbindgen_realloc: (a: number, b: number, c: number, d: number) => number;
    readonly __wbindgen_free: (a: number, b: number, c: number) => void;
    readonly __wbindgen_exn_store: (a: number) => void;
    readonly __externref_table_alloc: () => number;
    readonly __wbindgen_externrefs: WebAssembly.Table;
    readonly __externref_table_dealloc: (a: number) => void;
    readonly __externref_drop_slice: (a: number, b: number) => void;
    readonly __wbindgen_start: () => void;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;
