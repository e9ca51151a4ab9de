// tslab 1.0.22 type-checks each cell with TypeScript's watch program and gives it a fake timer with a
// single slot, which tslab fires itself when the next cell is converted. TypeScript keeps two timers:
// one to rebuild the program (set by every cell) and one to re-resolve imports that failed, set when
// a folder it watches for them changes (a `node_modules` appearing in the notebook's folder, as after
// `npm install` there). With that second timer pending, the next cell's rebuild finds the slot taken
// and tslab throws "Unexpected pending rebuildTimer" on that cell and on every cell after it: the
// kernel is unusable until restarted.
//
// The kit gives each converter a small queue behind tslab's slot: any number of timers wait in it,
// in order; tslab's slot holds one callback that runs them all when tslab fires it (at the next
// cell, as before); clearing a timer takes it out of the queue. tslab assigns its timer functions
// to an object made with Object.create(ts.sys), so accessors on ts.sys receive them.
"use strict";

/** The queue of one converter: `slotSet`/`slotClear` are tslab's own single-slot timer functions. */
function createQueue() {
  const q = { slotSet: null, slotClear: null, slot: null, timers: [], firing: false };
  const fire = () => {
    q.slot = null;
    q.firing = true;
    try {
      // timers set while these run (a re-resolution schedules a rebuild) run in this same round
      for (let t = q.timers.shift(); t; t = q.timers.shift()) t.run();
    } finally {
      q.firing = false;
    }
  };
  q.setTimeout = (callback, _ms, ...args) => {
    const timer = { run: () => callback(...args) };
    q.timers.push(timer);
    if (!q.slot && !q.firing) q.slot = q.slotSet(fire);
    return timer;
  };
  q.clearTimeout = (timer) => {
    const i = q.timers.indexOf(timer);
    if (i >= 0) q.timers.splice(i, 1);
    if (q.timers.length === 0 && q.slot) {
      q.slotClear(q.slot);
      q.slot = null;
    }
  };
  return q;
}

/** Installs the queue on `ts.sys` (typescript-for-tslab) for every converter made afterwards. */
function installWatchTimerFix(ts) {
  const sys = ts.sys;
  if (sys.dlbbWatchTimers) return;
  const queues = new WeakMap();
  const queueOf = (owner) => {
    if (!queues.has(owner)) queues.set(owner, createQueue());
    return queues.get(owner);
  };
  for (const [name, slotName, method] of [
    ["setTimeout", "slotSet", "setTimeout"],
    ["clearTimeout", "slotClear", "clearTimeout"],
  ]) {
    const real = sys[name];
    Object.defineProperty(sys, name, {
      configurable: true,
      enumerable: true,
      // ts.sys itself (and any object that never set its own) keeps Node's timer
      get() {
        const q = this === sys ? undefined : queues.get(this);
        return q && q[slotName] ? q[method] : real;
      },
      set(fn) {
        if (this === sys) Object.defineProperty(sys, name, { value: fn, writable: true, configurable: true, enumerable: true });
        else queueOf(this)[slotName] = fn;
      },
    });
  }
  Object.defineProperty(sys, "dlbbWatchTimers", { value: true });
}

module.exports = { installWatchTimerFix, createQueue };
