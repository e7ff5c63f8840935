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
 * A trainer the benchmark page times.
 */
export class Bench {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Begins a step (`diag`: with the diagnostics): the tasks of its shards but the
     * first, for `ShardWorker.run` with `weightsInto`'s weights (none for a batch of up to 16).
     */
    beginStep(diag: boolean): Uint32Array[];
    /**
     * Characters trained on per step (`T·B`).
     */
    charsPerStep(): number;
    /**
     * Finishes the step begun once every shard ran, as `step` would have; a
     * divergence throws.
     */
    finishStep(): StepReport;
    /**
     * Nominal floating-point operations of one step.
     */
    flops(): number;
    /**
     * Adam on random data over 65 symbols with `cell` (rnn, lstm, gru), `hidden` units, `seq_len`
     * windows and `batch` streams, as the native bench builds it.
     */
    constructor(cell: string, hidden: number, seq_len: number, batch: number, diagnostics: boolean);
    /**
     * Takes shard `k`'s result (`ShardWorker.run`'s).
     */
    putShard(k: number, result: Uint32Array | number[]): void;
    /**
     * The model file a `ShardWorker` is made from.
     */
    replicaModel(): Uint8Array;
    /**
     * Steps for about `budget_ms` (one at least); returns the steps done.
     */
    runFor(budget_ms: number): number;
    /**
     * Runs shards `from..to` of the step begun here.
     */
    runShards(from: number, to: number): void;
    /**
     * `warmup` untimed steps, then ms/step of each of `samples` groups of `group` steps.
     */
    run(warmup: number, samples: number, group: number): Float64Array;
    /**
     * Shards of a step: 1 for a batch of up to 16 streams (`step` is then as fast).
     */
    shards(): number;
    /**
     * Steps done so far.
     */
    steps(): number;
    /**
     * Vocabulary size of the benchmark data.
     */
    static vocab(): number;
    /**
     * How many weights `weightsInto` writes.
     */
    weightCount(): number;
    /**
     * Every weight into `out` (`weightCount()` long), for `ShardWorker.run`: the
     * buffers go back and forth between the workers instead of a new one each step.
     */
    weightsInto(out: Float32Array): void;
}

/**
 * A model learning a text, stepped by the playground.
 */
export class Playground {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Begins a step (`diag`: with the diagnostics): the tasks of its shards but the
     * first, for `ShardWorker.run` with `weightsInto`'s weights (none for a batch of up to 16).
     */
    beginStep(diag: boolean): Uint32Array[];
    /**
     * Drops the sample being generated, if any.
     */
    cancelSample(): void;
    /**
     * Characters trained on.
     */
    chars(): number;
    /**
     * The page's default settings as a query.
     */
    static defaultQuery(): string;
    /**
     * Whether the latest step failed because training diverged.
     */
    diverged(): boolean;
    /**
     * Draws units × time of the latest window: `which` is `h`, `c` (LSTM) or a gate name.
     */
    drawHeatmap(canvas: HTMLCanvasElement, layer: number, which: string): void;
    /**
     * Draws the loss chart on `canvas`.
     */
    drawLoss(canvas: HTMLCanvasElement): void;
    /**
     * Draws the saliency of position `t` against distance.
     */
    drawSaliency(canvas: HTMLCanvasElement, t: number): void;
    /**
     * Draws the hidden state's path over the inspected text, character `t` ringed.
     */
    drawTrajectory(canvas: HTMLCanvasElement, t?: number | null): void;
    /**
     * The features of a text the units can be ranked by, by name.
     */
    static features(): string[];
    /**
     * Finishes the step begun once every shard ran, as `step` would have; a
     * divergence throws.
     */
    finishStep(): StepReport;
    /**
     * Makes the text readable for the loaded model: `map_to` "" drops the unknown characters,
     * one character writes it for each of them.
     */
    fixUnknown(map_to: string): void;
    /**
     * The heatmap cell at CSS pixel `(x, y)` of its canvas as last drawn, or `null`.
     */
    heatmapAt(x: number, y: number): HeatCell | null;
    /**
     * The loss history, one row per step, as CSV.
     */
    historyCsv(): string;
    /**
     * The model's shape, the text's sizes and the baseline losses.
     */
    info(): TextInfo;
    /**
     * Reads the inspected text again with the model as it is now (while it trains).
     */
    inspectAgain(): void;
    /**
     * The columns of step `t` of `layer` of the inspected text.
     */
    inspectColumns(layer: number, t: number): StepColumns;
    /**
     * The cell's equations for `unit` at step `t` of `layer` of the inspected text.
     */
    inspectEquations(layer: number, t: number, unit: number): string[];
    /**
     * Reads the inspected text for about `budget_ms` (a slice at least).
     */
    inspectFor(budget_ms: number): InspectProgress;
    /**
     * Inspected character `t`: its surprise and the likeliest characters after it.
     */
    inspectPoint(t: number): InspectPoint;
    /**
     * Starts reading `text` (the characters the model knows, 20,000 at most) with a copy of the
     * model as it is now.
     */
    inspect(text: string): InspectText;
    /**
     * The latest raw training loss (NaN before the first step).
     */
    lastLoss(): number;
    /**
     * The latest validation loss (NaN before the first measurement).
     */
    lastValLoss(): number;
    /**
     * Reads a model file or checkpoint and continues on `text`; a bad file throws, naming why.
     */
    static load(bytes: Uint8Array | number[], text: string): Playground;
    /**
     * Largest text accepted, in bytes.
     */
    static maxTextBytes(): number;
    /**
     * A fresh model for the settings `query` (`key=value&…`) on `text`; a bad setting throws.
     */
    constructor(query: string, text: string);
    /**
     * Reads a URL hash leniently over the page's defaults: the usable settings and a
     * notice per entry skipped.
     */
    static parseQuery(hash: string): ParsedQuery;
    /**
     * Takes shard `k`'s result (`ShardWorker.run`'s).
     */
    putShard(k: number, result: Uint32Array | number[]): void;
    /**
     * The settings as a query for the URL hash.
     */
    query(): string;
    /**
     * The same for a feature given as one value per inspected character (a regular expression's
     * matches, a brushed span).
     */
    rankUnitsBy(values: Float32Array | number[]): UnitScore[];
    /**
     * The units whose h follows the feature called `name` most closely (|Pearson r|).
     */
    rankUnits(name: string): UnitScore[];
    /**
     * The model file a `ShardWorker` is made from.
     */
    replicaModel(): Uint8Array;
    /**
     * The same model on another text (a fresh optimizer), idle if it cannot read the text.
     */
    retext(text: string): Playground;
    /**
     * Goes back to the last good snapshot (every 50 steps); returns its step.
     */
    rollback(): number;
    /**
     * Runs shards `from..to` of the step begun here.
     */
    runShards(from: number, to: number): void;
    /**
     * What the prediction after inspected character `t` looked at, per earlier character.
     */
    saliency(t: number): Float32Array;
    /**
     * Generates for about `budget_ms` (one character at least); the sample once complete,
     * `null` before (and when none was started).
     */
    sampleFor(budget_ms: number): Sampled | null;
    /**
     * `len` characters after `prime` from a zero state (`top_k` 0 = all), at once.
     */
    sample(prime: string, len: number, temperature: number, greedy: boolean, top_k: number, seed: number): Sampled;
    /**
     * Whether a started sample is still being generated.
     */
    sampling(): boolean;
    /**
     * The model, optimizer state, position and settings as `.safetensors` bytes.
     */
    save(): Uint8Array;
    /**
     * Applies a setting that keeps the model (see `settingsTable`); returns the query.
     */
    setLive(key: string, value: string): string;
    /**
     * Shards of a step: 1 for a batch of up to 16 streams (`step` is then as fast).
     */
    shards(): number;
    /**
     * Smoothed training loss (NaN before the first step).
     */
    smoothLoss(): number;
    /**
     * Starts the same sample, to be generated a slice per frame by `sampleFor`.
     */
    startSample(prime: string, len: number, temperature: number, greedy: boolean, top_k: number, seed: number): void;
    /**
     * Exactly one training step (with diagnostics); a divergence throws.
     */
    step(): StepReport;
    /**
     * Steps done.
     */
    steps(): number;
    /**
     * Every inspected character's surprise (`−log p` given the ones before; NaN for the first).
     */
    surprise(): Float32Array;
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
     * One unit's value at every inspected character: `which` is `h`, `c` or a gate's name.
     */
    unitValues(layer: number, which: string, unit: number): Float32Array;
    /**
     * Why training waits (a loaded model does not know some characters of the text), or `null`.
     */
    unknown(): UnknownChars | null;
    /**
     * Mean loss on the held-out tail, now (`undefined` when the tail is too short).
     */
    valLoss(): number | undefined;
    /**
     * The vocabulary, in index order, as one string.
     */
    vocab(): string;
    /**
     * How many weights `weightsInto` writes.
     */
    weightCount(): number;
    /**
     * Every weight into `out` (`weightCount()` long), for `ShardWorker.run`: the
     * buffers go back and forth between the workers instead of a new one each step.
     */
    weightsInto(out: Float32Array): void;
    /**
     * Every weight, for a copy's `syncIn`.
     */
    weights(): Float32Array;
}

/**
 * A gradient worker's copy of a model: runs the shards of another's steps.
 */
export class ShardWorker {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * A copy of the model in `model` (`replicaModel()`'s bytes); a bad file throws.
     */
    constructor(model: Uint8Array | number[]);
    /**
     * Copies the latest result (for `putShard`) into the start of `out`: buffers passed
     * between the workers step after step, instead of a new one each time.
     */
    resultInto(out: Uint32Array): void;
    /**
     * Runs a shard's `task` (`beginStep()`'s) with `weights` (`weightsInto`'s, copied straight
     * into the model); returns the length of its result, which `resultInto` copies out.
     */
    run(weights: Float32Array, task: Uint32Array | number[]): number;
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
    readonly __wbg_bench_free: (a: number, b: number) => void;
    readonly __wbg_playground_free: (a: number, b: number) => void;
    readonly __wbg_shardworker_free: (a: number, b: number) => void;
    readonly bench_beginStep: (a: number, b: number) => [number, number, number];
    readonly bench_charsPerStep: (a: number) => number;
    readonly bench_finishStep: (a: number) => [number, number, number];
    readonly bench_flops: (a: number) => number;
    readonly bench_new: (a: number, b: number, c: number, d: number, e: number, f: number) => [number, number, number];
    readonly bench_putShard: (a: number, b: number, c: number, d: number) => [number, number];
    readonly bench_replicaModel: (a: number) => [number, number, number, number];
    readonly bench_run: (a: number, b: number, c: number, d: number) => [number, number, number, number];
    readonly bench_runFor: (a: number, b: number) => [number, number, number];
    readonly bench_runShards: (a: number, b: number, c: number) => [number, number];
    readonly bench_shards: (a: number) => number;
    readonly bench_steps: (a: number) => number;
    readonly bench_vocab: () => number;
    readonly bench_weightCount: (a: number) => number;
    readonly bench_weightsInto: (a: number, b: any) => [number, number];
    readonly captureSvg: (a: any, b: any) => [number, number, number];
    readonly palette: () => [number, number, number];
    readonly playground_beginStep: (a: number, b: number) => [number, number, number];
    readonly playground_cancelSample: (a: number) => void;
    readonly playground_chars: (a: number) => number;
    readonly playground_defaultQuery: () => [number, number];
    readonly playground_diverged: (a: number) => number;
    readonly playground_drawHeatmap: (a: number, b: any, c: number, d: number, e: number) => [number, number];
    readonly playground_drawLoss: (a: number, b: any) => [number, number];
    readonly playground_drawSaliency: (a: number, b: any, c: number) => [number, number];
    readonly playground_drawTrajectory: (a: number, b: any, c: number) => [number, number];
    readonly playground_features: () => [number, number];
    readonly playground_finishStep: (a: number) => [number, number, number];
    readonly playground_fixUnknown: (a: number, b: number, c: number) => [number, number];
    readonly playground_heatmapAt: (a: number, b: number, c: number) => [number, number, number];
    readonly playground_historyCsv: (a: number) => [number, number];
    readonly playground_info: (a: number) => [number, number, number];
    readonly playground_inspect: (a: number, b: number, c: number) => [number, number, number];
    readonly playground_inspectAgain: (a: number) => [number, number];
    readonly playground_inspectColumns: (a: number, b: number, c: number) => [number, number, number];
    readonly playground_inspectEquations: (a: number, b: number, c: number, d: number) => [number, number, number, number];
    readonly playground_inspectFor: (a: number, b: number) => [number, number, number];
    readonly playground_inspectPoint: (a: number, b: number) => [number, number, number];
    readonly playground_lastLoss: (a: number) => number;
    readonly playground_lastValLoss: (a: number) => number;
    readonly playground_load: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly playground_maxTextBytes: () => number;
    readonly playground_new: (a: number, b: number, c: number, d: number) => [number, number, number];
    readonly playground_parseQuery: (a: number, b: number) => [number, number, number];
    readonly playground_putShard: (a: number, b: number, c: number, d: number) => [number, number];
    readonly playground_query: (a: number) => [number, number];
    readonly playground_rankUnits: (a: number, b: number, c: number) => [number, number, number, number];
    readonly playground_rankUnitsBy: (a: number, b: number, c: number) => [number, number, number, number];
    readonly playground_replicaModel: (a: number) => [number, number, number, number];
    readonly playground_retext: (a: number, b: number, c: number) => [number, number, number];
    readonly playground_rollback: (a: number) => number;
    readonly playground_runShards: (a: number, b: number, c: number) => [number, number];
    readonly playground_saliency: (a: number, b: number) => [number, number, number, number];
    readonly playground_sample: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number, number];
    readonly playground_sampleFor: (a: number, b: number) => [number, number, number];
    readonly playground_sampling: (a: number) => number;
    readonly playground_save: (a: number) => [number, number, number, number];
    readonly playground_setLive: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly playground_shards: (a: number) => number;
    readonly playground_smoothLoss: (a: number) => number;
    readonly playground_startSample: (a: number, b: number, c: number, d: number, e: number, f: number, g: number, h: number) => [number, number];
    readonly playground_step: (a: number) => [number, number, number];
    readonly playground_steps: (a: number) => number;
    readonly playground_surprise: (a: number) => [number, number, number, number];
    readonly playground_syncIn: (a: number, b: number, c: number, d: number, e: number, f: number, g: number) => [number, number];
    readonly playground_syncOut: (a: number) => [number, number, number];
    readonly playground_trainFor: (a: number, b: number, c: number) => [number, number, number];
    readonly playground_unitValues: (a: number, b: number, c: number, d: number, e: number) => [number, number, number, number];
    readonly playground_unknown: (a: number) => [number, number, number];
    readonly playground_valLoss: (a: number) => [number, number];
    readonly playground_vocab: (a: number) => [number, number];
    readonly playground_weightCount: (a: number) => number;
    readonly playground_weights: (a: number) => [number, number];
    readonly playground_weightsInto: (a: number, b: any) => [number, number];
    readonly settingsTable: (a: number, b: number) => [number, number, number, number];
    readonly shardworker_new: (a: number, b: number) => [number, number, number];
    readonly shardworker_resultInto: (a: number, b: any) => [number, number];
    readonly shardworker_run: (a: number, b: any, c: number, d: number) => [number, number, number];
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
