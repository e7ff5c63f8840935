// The guided lessons: each is a link (its URL hash sets the model, task and race) plus a few
// sentences on what to watch. The page's links in lab/index.html carry the same hashes.

export const LESSONS = {
  forget: {
    title: 'Lesson 1 — Why vanilla RNNs forget',
    section: 'sec-flow',
    autoRace: true,
    paragraphs: [
      'Delayed recall at lag 30: the network sees a symbol (a, b, c or d), then 29 random distractors, then a “?” — and must name the symbol. Guessing gets 25%.',
      'The model on the left is a plain tanh RNN. Press Play and watch “Gradient flow through time”: the gradient of the last step’s loss falls by many orders of magnitude within a few steps back, so almost nothing of the error ever reaches the step where the symbol was seen. Its accuracy sits at chance; at best it learns to latch a single bit in saturated units (telling two of the four symbols apart: 50%) — and, as the latch below shows, a saturated unit passes no gradient either, so it stays stuck there.',
      'The race below (already started) trains an LSTM on the same episodes. Compare the two gradient curves: the LSTM’s cell state gives the gradient a path that barely shrinks, and its accuracy climbs to 100%.',
    ],
    watch: ['“shrink per step back” well below 1 for the RNN', 'the heatmap going dark above the first few lags', 'the race’s accuracy chart: LSTM up, RNN flat at 25%'],
  },
  explode: {
    title: 'Lesson 2 — Exploding gradients and clipping',
    section: 'sec-clip',
    paragraphs: [
      'The opposite failure. This tanh RNN starts with W_hh = 1.5 × identity: every unit is a latch with w = 1.5 (see the latch below), and wherever a unit is not saturated, each step back multiplies its gradient by up to 1.5. Clipping is off.',
      'Press Play and watch “Clipping made visible”: now and then the gradient norm jumps by two or three orders of magnitude from one step to the next. Each jump throws the weights far off — the loss chart spikes — and accuracy stalls well short of 100% (about 75% with this seed).',
      'Now press Reset with the clipping threshold on the left set to 1. The orange line (before clipping) still spikes, but the blue line (what the optimizer uses) is capped at 1, and the same network solves the task within a few dozen steps. Try “Clip by value” too: it caps each component instead, which also turns the gradient’s direction.',
    ],
    watch: ['σmax(W_hh) = 1.5 at the start', 'the spikes in the gradient norm, and the fraction of clipped steps once clipping is on', 'the gradient-flow curve: no longer falling steadily with lag'],
  },
  gate: {
    title: 'Lesson 3 — How the LSTM’s forget gate keeps a memory',
    section: 'sec-step',
    paragraphs: [
      'An LSTM whose forget gate starts with bias 3, so f = σ(3 + …) ≈ 0.95: the cell state c keeps 95% of itself at every step from the start, and the gradient along c shrinks by only that much per step.',
      'Train for a few hundred steps, pause, and step through the window: scrub t from the symbol (t = 0) to the cue. In the f column most units sit near 1 (dark red); hover a unit to see cₜ = f·cₜ₋₁ + i·g carry its value along.',
      'Then set the forget-gate bias slider to 0 and train again: f starts near 0.5, the memory halves every step, and learning the lag-30 recall takes far longer.',
    ],
    watch: ['the f column close to 1', 'cₜ staying put while distractors arrive', 'the gradient-flow curve levelling off after a few steps back instead of falling all the way'],
  },
  gru: {
    title: 'Lesson 4 — GRU vs LSTM',
    section: 'sec-race',
    autoRace: true,
    paragraphs: [
      'The GRU merges the LSTM’s forget and input gates into one update gate z (hₜ = (1 − z)·n + z·hₜ₋₁) and has no separate cell state. With z near 1 a unit simply copies its past, which gives the gradient the same shortcut.',
      'The race below gives both the same parameter budget (the GRU gets a few more units, the LSTM has four gate blocks to the GRU’s three) and trains them on identical episodes.',
      'Watch which reaches 100% first and how their gradient curves differ. Change the lag on the left and press “Reset race” to see where each one breaks down — or run the lag sweep.',
    ],
    watch: ['steps to 100% accuracy', 'the parameter counts in the table', 'the gradient fall across the lag'],
  },
  init: {
    title: 'Lesson 5 — Initialisation as a remedy',
    section: 'sec-race',
    autoRace: true,
    paragraphs: [
      'The gradient that reaches step t of a vanilla RNN is a product of one factor per step back: ∂hₖ/∂hₖ₋₁ = diag(φ′)·W_hh. Whether it vanishes depends on the size of W_hh as much as on the slopes φ′, and W_hh starts wherever its initialisation puts it. PyTorch’s default draws it uniformly, so its singular values spread out, most of them below 1.',
      'Orthogonal initialisation (rnn+orthogonal, init=orthogonal) starts W_hh as a random orthogonal matrix: every singular value is exactly 1, so the matrix part of each factor keeps the gradient’s length, and only the slopes φ′ ≤ 1 shrink it. The identity initialisation (init=identity, the IRNN with ReLU) goes further: at first each unit passes its value on unchanged.',
      'Chrono initialisation (lstm+chrono, chrono=T) does the same for the gates: the LSTM’s forget-gate bias starts at ln u with u drawn up to the task’s lag, so f ≈ 1 − 1/u and each unit keeps its memory for about u steps from the first update, instead of the default f ≈ 0.5 that halves it every step.',
      'Clipping is off here (clip=0), so the remedies are compared alone. The race below trains the four on identical episodes at lag 40. In our run the chrono LSTM was right every time by step 300, while the default LSTM was still at chance at step 900; both RNNs stalled near 50%, and the orthogonal start did not change that: after the first updates W_hh is no longer orthogonal, and the slopes of saturated tanh units still shrink the gradient.',
    ],
    watch: ['the race’s gradient-flow chart: the chrono LSTM’s curve flat across all 40 steps back, both RNNs’ falling straight down on the log scale', '“gradient fall” in the table: how many times smaller the gradient is at the symbol than at the cue', 'LSTM with and without chrono: the step where accuracy leaves chance'],
  },
  fixed: {
    title: 'Lesson 6 — Memories as fixed points',
    section: 'sec-states',
    paragraphs: [
      'The 3-bit flip-flop: three input channels carry an occasional +1 or −1 pulse, and each of the three outputs must hold the sign of its channel’s last pulse. Eight combinations of signs, so the network has to keep one of eight memories, for as long as no pulse arrives.',
      'Press Play and let this GRU train until the loss is well below the baseline (about 1,000 steps; faster at max speed). Then press “Find fixed points” in the State space panel.',
      'With no pulse coming in, the network’s state has to sit still: each memory is a stable fixed point of the map h ↦ F(h). The finder should show eight dark points, one in the middle of each coloured cloud of states. Between them it may find unstable points (open circles): saddles on the boundaries that a pulse pushes the state across.',
    ],
    watch: ['eight stable points, one per colour', 'q far below 10⁻⁹ for each point', 'searching early in training: fewer, or no, stable points yet'],
  },
  residual: {
    title: 'Lesson 7 — Residual connections through time',
    section: 'sec-race',
    autoRace: true,
    paragraphs: [
      'A residual connection through time adds the old state to the new one: hₜ = hₜ₋₁ + φ(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh) (residual=time). Each factor of the backward product becomes ∂hₜ/∂hₜ₋₁ = I + diag(φ′)·W_hh: the identity passes the gradient back unchanged, whatever the slopes of the units.',
      'The price is that the state is now a running sum, so it can drift and grow without bound, and nothing on that path shrinks the gradient: the same identity that stops it vanishing lets it explode. With PyTorch’s initial W_hh this model’s loss diverges within a few steps at long lags. The race’s residual lane therefore starts with W_hh = 0 (init=identity, gain=0), where the state is at first just the sum of what each input contributes and ∂hₜ/∂hₜ₋₁ = I exactly, clips the gradient norm at 1 and takes smaller steps (lr 0.002): at lr 0.01 one Adam step took its loss from 4.2 to 12 at lag 60, clipped or not.',
      'The race below trains it beside a plain tanh RNN at lag 40. On some seeds its first steps still blow up; then roll back and lower the learning rate.',
    ],
    watch: ['the residual lane’s gradient-flow curve: nearly flat across the 40 steps back, while the plain RNN’s falls by many orders of magnitude', 'the residual lane’s accuracy leaving chance', 'its loss early on: the running sum makes the first steps jumpy'],
  },
  attention: {
    title: 'Lesson 8 — Attention: a direct path to every step',
    section: 'sec-race',
    autoRace: true,
    paragraphs: [
      'Attention lets the output look back. At step t the decoder reads [hₜ ; aₜ], where aₜ = Σₛ αₜ,ₛ hₛ sums the window’s states so far, weighted by αₜ,ₛ = softmaxₛ(hₜᵀ W_a hₛ) (attention=dot).',
      'The loss at the cue now reaches the state right after the symbol in one step, through its weight αₜ,ₛ, instead of through a product of one Jacobian per step in between. The vanishing product is still there, but the gradient no longer depends on it.',
      'The race below trains a plain tanh RNN and the same RNN with attention on delayed recall at lag 60, far past where the plain RNN can learn.',
    ],
    watch: ['the attention lane’s gradient-flow curve: it stays up at the longest lags (the view includes the attention path)', 'accuracy: the attention RNN near 100%, the plain one at chance or a latched 50%', 'σmax and “shrink per step back” for the plain RNN: unchanged by attention, yet no longer decisive'],
  },
  remedies: {
    title: 'Lesson 9 — Every remedy side by side',
    section: 'sec-race',
    autoRace: true,
    paragraphs: [
      'All the remedies on one task, seed and budget: the tanh RNN alone, with clipping, with an orthogonal start, with a residual connection through time and with attention; the LSTM with and without chrono initialisation; and the GRU. Delayed recall at lag 60, clipping off except where it is the remedy.',
      'Gates (LSTM, GRU), a residual path and attention each give the gradient a route that does not shrink at every step; clipping only stops it from exploding, and a good start only helps until training moves the weights away from it.',
      'For accuracy against lag, press “Start sweep” below: it trains every entry from scratch at lags 10, 20, 40 and 60 and measures each on 100 fresh episodes (it takes a few minutes).',
    ],
    watch: ['which lanes leave chance, and in what order', 'the gradient-flow chart: flat curves for the remedies that open a path, falling lines for the others', 'the sweep: where each entry’s success rate drops with the lag'],
  },
};
