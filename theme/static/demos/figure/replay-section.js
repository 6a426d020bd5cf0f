// "Replay": a playhead over the figure's timelines. The reader drags it (pointer or touch),
// steps from event to event (← and → on the playhead, or the buttons), or plays the run back at
// 0.1×, 0.25× or 1×; a line across the timelines marks the moment, each lane says what it does
// then, and a sentence says what the demo is doing (./replay-model.js computes it from what the
// run recorded). One run is replayed at a time: the reader picks which when several modes ran.
//
// DOM (inside the figure's timeline section, `[data-replay]`):
//   [data-playhead]   the slider (role="slider", aria-valuenow/-valuetext); `data-t-ms`: its time
//                     in ms from the run's start (three decimals)
//   [data-state]      the readout: `data-run` (the mode replayed), `data-t-ms`, and where the run supports them
//                     `data-gil-holder` (the holding lanes' names, comma-separated; "" for none),
//                     `data-gil-waiting`, `data-gil-shared` ("true": threads share one GIL);
//                     `data-ready`, `data-waiting` (the event loop's waits); `data-in-flight`,
//                     `data-to-workers`, `data-to-page` (messages); `data-counter`,
//                     `data-counter-at-ms`, `data-stale` (each thread's latest sampled read, in
//                     lane order, space-separated), `data-lost` (updates its write erased, the
//                     same order); `data-frame-gap-ms` (the longest gap so far), `data-since-frame-ms`,
//                     `data-late` ("true"/"false"). Its items `[data-lane]` (the lane's name) have
//                     `data-task` (the task number, "" when idle).
//   [data-replay-caption]  the sentence; a polite live region (quiet while playing)
//   [data-replay-back], [data-replay-forward], [data-replay-play], [data-replay-speed] (select),
//   [data-replay-mode] (select: which run)

import { element } from "../dom.js";
import { LABEL_WIDTH, NARROW_LABEL_WIDTH } from "../charts/timeline-parts.js";
import { caption, eventTimes, runSpan, stateAt, stepFrom, timeWords } from "./replay-model.js";

const SPEEDS = [0.1, 0.25, 1];
const DEFAULT_SPEED = 0.25;

export class ReplaySection {
  #box;
  #scaleSpan;
  #names;
  #runs = [];
  #run = null;
  #chosen = null;
  #times = [];
  #t = 0;
  #playing = false;
  #frame = 0;
  #ui;
  #line;

  /**
   * A replay over the timelines drawn in `box`, whose time axis runs from 0 to `scaleSpan()` ms;
   * `names` = { demo, laneName(run, lane), taskNameOf(event) }.
   */
  constructor(box, scaleSpan, names) {
    this.#box = box;
    this.#scaleSpan = scaleSpan;
    this.#names = names;
    this.#line = element("div", { class: "demo-playhead-line", "aria-hidden": "true", hidden: "" });
    this.#ui = this.#build();
    this.element = this.#ui.root;
    new ResizeObserver(() => this.#place()).observe(box);
  }

  /** The line across the timelines: put it in a positioned parent of the timelines' box. */
  get line() {
    return this.#line;
  }

  /** Replays one of `runs` ([{ mode, uses, result }]); none hides it. */
  show(runs) {
    this.#pause();
    this.#runs = runs.filter((run) => run.result?.events?.length > 0);
    const hidden = this.#runs.length === 0;
    this.#ui.root.hidden = hidden;
    this.#line.hidden = hidden;
    if (hidden) return;
    const modes = this.#runs.map((run) => run.mode);
    const select = this.#ui.mode;
    select.replaceChildren(...modes.map((mode) => element("option", { value: mode }, mode)));
    this.#ui.modeField.hidden = modes.length < 2;
    const mode = modes.includes(this.#chosen) ? this.#chosen : preferredMode(this.#runs, this.#names.demo);
    select.value = mode;
    this.#use(mode);
  }

  /** Puts the playhead and its line again, after the timelines' time scale changed. */
  place() {
    this.#place();
  }

  /** Replays the run of `mode`, from its start. */
  #use(mode) {
    this.#run = this.#runs.find((run) => run.mode === mode) ?? this.#runs[0];
    this.#times = eventTimes(this.#run);
    this.#ui.playhead.setAttribute("aria-valuemax", runSpan(this.#run).toFixed(3));
    this.#seek(0);
  }

  #build() {
    const button = (attribute, text, label) => element("button", { type: "button", [attribute]: "", "aria-label": label }, text);
    const back = button("data-replay-back", "← Event", "Previous event");
    const forward = button("data-replay-forward", "Event →", "Next event");
    const play = button("data-replay-play", "Play", "Play the run back");
    const speed = element("select", { "data-replay-speed": "" },
      ...SPEEDS.map((value) => element("option", { value: String(value) }, `${value}×`)));
    speed.value = String(DEFAULT_SPEED);
    const mode = element("select", { "data-replay-mode": "" });
    const modeField = element("label", { class: "demo-replay-field" }, "Replay ", mode);
    const playhead = element("div", {
      class: "demo-playhead", "data-playhead": "", role: "slider", tabindex: "0",
      "aria-label": "Replay: time in the run", "aria-valuemin": "0", "aria-valuemax": "0", "aria-valuenow": "0",
    });
    const track = element("div", { class: "demo-replay-track" }, element("div", { class: "demo-replay-rail" }), playhead);
    const caption = element("p", { class: "demo-replay-caption", "data-replay-caption": "", "aria-live": "polite" });
    const lanes = element("ul", { class: "demo-replay-lanes" });
    const state = element("div", { class: "demo-replay-state", "data-state": "" }, lanes);
    const root = element("div", { class: "demo-replay", "data-replay": "", hidden: "" },
      track,
      element("div", { class: "demo-replay-controls" }, back, play, forward,
        element("label", { class: "demo-replay-field" }, "Speed ", speed), modeField),
      element("p", { class: "demo-hint" }, "Drag the playhead, or focus it and press ← or → to step from one start or end of a bar to the next."),
      caption, state);

    back.addEventListener("click", () => this.#step(-1));
    forward.addEventListener("click", () => this.#step(1));
    play.addEventListener("click", () => (this.#playing ? this.#pause() : this.#play()));
    mode.addEventListener("change", () => {
      this.#pause();
      this.#chosen = mode.value;
      this.#use(mode.value);
    });
    playhead.addEventListener("keydown", (event) => this.#key(event));
    this.#drag(track, playhead);
    return { root, back, forward, play, speed, mode, modeField, playhead, track, caption, state, lanes };
  }

  /** Dragging on the track, with a mouse, a pen or a finger, moves the playhead there. */
  #drag(track, playhead) {
    const moveTo = (event) => {
      const box = track.getBoundingClientRect();
      const share = box.width > 0 ? (event.clientX - box.left) / box.width : 0;
      this.#seek(Math.min(1, Math.max(0, share)) * this.#scaleSpan());
    };
    track.addEventListener("pointerdown", (event) => {
      if (!this.#run || event.button > 0) return;
      event.preventDefault();
      this.#pause();
      playhead.focus({ preventScroll: true });
      track.setPointerCapture?.(event.pointerId);
      moveTo(event);
    });
    track.addEventListener("pointermove", (event) => {
      if (track.hasPointerCapture?.(event.pointerId)) moveTo(event);
    });
    const release = (event) => {
      if (track.hasPointerCapture?.(event.pointerId)) track.releasePointerCapture(event.pointerId);
    };
    track.addEventListener("pointerup", release);
    track.addEventListener("pointercancel", release);
  }

  #key(event) {
    const span = this.#run ? runSpan(this.#run) : 0;
    const moves = {
      ArrowRight: () => this.#step(1),
      ArrowUp: () => this.#step(1),
      ArrowLeft: () => this.#step(-1),
      ArrowDown: () => this.#step(-1),
      Home: () => this.#seek(0),
      End: () => this.#seek(span),
      PageUp: () => this.#seek(this.#t + span / 10),
      PageDown: () => this.#seek(this.#t - span / 10),
      " ": () => (this.#playing ? this.#pause() : this.#play()),
    };
    if (!(event.key in moves) || !this.#run) return;
    event.preventDefault();
    if (event.key !== " ") this.#pause();
    moves[event.key]();
  }

  #step(direction) {
    if (!this.#run) return;
    this.#pause();
    this.#seek(stepFrom(this.#times, this.#t, direction));
  }

  /** Plays from the playhead (from the start when it is at the end) at the chosen speed. */
  #play() {
    if (!this.#run) return;
    const span = runSpan(this.#run);
    if (this.#t >= span) this.#seek(0);
    this.#playing = true;
    this.#ui.play.textContent = "Pause";
    this.#ui.play.setAttribute("aria-label", "Pause the replay");
    this.#ui.caption.setAttribute("aria-live", "off");
    // Time is counted from the first frame's own time (a frame's time can be a little earlier
    // than the press that started the playing): each later frame moves on by the time since.
    let last = null;
    const tick = (now) => {
      const speed = Number(this.#ui.speed.value) || DEFAULT_SPEED;
      const next = Math.min(span, this.#t + (now - (last ?? now)) * speed);
      last = now;
      this.#seek(next);
      if (next >= span) this.#pause();
      else this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  #pause() {
    cancelAnimationFrame(this.#frame);
    if (!this.#playing) return;
    this.#playing = false;
    this.#ui.play.textContent = "Play";
    this.#ui.play.setAttribute("aria-label", "Play the run back");
    this.#ui.caption.setAttribute("aria-live", "polite");
    // The sentence once more, now that it is read out again.
    this.#seek(this.#t);
  }

  /** Moves the playhead to `t` ms (held within the run) and shows the state there. */
  #seek(t) {
    const run = this.#run;
    if (!run) return;
    this.#t = Math.min(runSpan(run), Math.max(0, t));
    const laneName = (lane) => this.#names.laneName(run, lane);
    const state = stateAt(run, this.#t, { laneName, taskNameOf: this.#names.taskNameOf, demo: this.#names.demo });
    const sentence = caption(state, laneName);
    const { playhead, caption: line } = this.#ui;
    playhead.dataset.tMs = this.#t.toFixed(3);
    playhead.setAttribute("aria-valuenow", this.#t.toFixed(3));
    playhead.setAttribute("aria-valuetext", `${timeWords(this.#t)} of ${timeWords(runSpan(run))}, ${run.mode}`);
    if (line.textContent !== sentence) line.textContent = sentence;
    this.#showState(state, laneName);
    this.#place();
  }

  /** The readout: data-* attributes for what the run supports, and a line per lane. */
  #showState(state, laneName) {
    const box = this.#ui.state;
    // Every value of the moment before goes, but not `data-state` itself.
    for (const name of Object.keys(box.dataset)) if (name !== "state") delete box.dataset[name];
    const data = box.dataset;
    // `data-run`, not `data-mode`: `[data-mode]` is a row of the results table.
    data.run = state.mode;
    data.tMs = state.t.toFixed(3);
    if (state.gil) {
      data.gilHolder = state.gil.holders.map(laneName).join(", ");
      data.gilWaiting = state.gil.waiting.map(laneName).join(", ");
      data.gilShared = String(state.gil.shared);
    }
    if (state.loop) {
      data.ready = String(state.loop.ready);
      data.waiting = String(state.loop.waiting);
    }
    if (state.messages) {
      data.inFlight = String(state.messages.inFlight);
      data.toWorkers = String(state.messages.toWorkers);
      data.toPage = String(state.messages.toPage);
    }
    if (state.race) {
      data.counter = String(state.race.counter);
      if (state.race.counterAtMs !== null) data.counterAtMs = state.race.counterAtMs.toFixed(3);
      data.stale = state.race.threads.map((thread) => thread.seen).join(" ");
      data.lost = state.race.threads.map((thread) => thread.lost).join(" ");
    }
    if (state.frames) {
      data.frameGapMs = state.frames.longestMs.toFixed(1);
      data.sinceFrameMs = state.frames.sinceFrameMs.toFixed(1);
      data.late = String(state.frames.late);
    }
    const reads = new Map((state.race?.threads ?? []).map((thread) => [thread.lane, thread]));
    this.#ui.lanes.replaceChildren(...state.lanes.map((lane) => {
      let text = `${lane.name}: ${lane.doing ?? "idle"}`;
      if (lane.holding) text += state.gil?.shared === false ? ", holding its GIL" : ", holding the GIL";
      else if (state.gil?.waiting.includes(lane.lane)) text += ", waiting for the GIL";
      const read = reads.get(lane.lane);
      if (read) text += `, last read ${read.seen.toLocaleString("en")}`;
      return element("li", { "data-lane": lane.name, "data-task": lane.task === null ? "" : String(lane.task) }, text);
    }));
  }

  /** Puts the playhead on its track and the line across the timelines, as the charts lay out time. */
  #place() {
    if (!this.#run) return;
    const width = Math.max(Math.round(this.#box.clientWidth), 260);
    const left = width < 480 ? NARROW_LABEL_WIDTH : LABEL_WIDTH;
    const plotWidth = width - left - 10;
    const share = Math.min(1, this.#t / Math.max(this.#scaleSpan(), 0.001));
    const { track, playhead } = this.#ui;
    track.style.marginLeft = `${left}px`;
    track.style.width = `${plotWidth}px`;
    playhead.style.left = `${share * 100}%`;
    const charts = this.#box.querySelectorAll(".demo-timeline");
    const first = charts[0];
    const last = charts[charts.length - 1];
    if (!first) return;
    const line = this.#line;
    line.style.left = `${this.#box.offsetLeft + left + share * plotWidth}px`;
    line.style.top = `${this.#box.offsetTop + first.offsetTop}px`;
    line.style.height = `${last.offsetTop + last.offsetHeight - first.offsetTop}px`;
  }
}

/**
 * The run a replay starts with: the one with the most to show (a shared GIL, a lost update, the
 * event loop's queue, messages, frames), else the first.
 */
function preferredMode(runs, demo) {
  const score = (run) => {
    const state = stateAt(run, 0, { laneName: () => "", taskNameOf: () => "", demo });
    return (state.gil?.shared ? 2 : state.gil ? 1 : 0) + (state.race ? 1 : 0) + (run.mode === "unsafe" ? 2 : 0) +
      (state.loop ? 2 : 0) + (state.messages ? 1 : 0) + (state.frames && run.uses === "main" ? 1 : 0);
  };
  let best = runs[0];
  for (const run of runs) if (score(run) > score(best)) best = run;
  return best.mode;
}
