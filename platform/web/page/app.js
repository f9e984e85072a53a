// The page's side of the web app: one copy at a time, the module's settings, the service worker,
// persistent storage, and the soft keyboard ImGui cannot open on its own (a canvas takes no text
// on a phone). Loads aftercare.js.
'use strict';

var Module = {
  canvas: document.getElementById('canvas'),
  print: (text) => console.log(text),
  printErr: (text) => console.error(text),
  onAbort: (what) => {
    document.body.dataset.state = 'failed';
    document.getElementById('status').textContent = 'aftercare stopped: ' + what;
  },
};

// One copy of the app at a time: each copy holds the whole database in memory and writes it all
// back to IndexedDB, so a second tab or window would overwrite the first one's entries with its
// older copy. The first holds a lock for its life; another is told to close.
function startApp() {
  const script = document.createElement('script');
  script.src = 'aftercare.js';
  document.body.appendChild(script);
}
function refuseSecondCopy() {
  document.body.dataset.state = 'failed';
  document.getElementById('status').textContent =
      'aftercare is already open in another tab or window. Close this one and use that one.';
}
if (navigator.locks && navigator.locks.request) {
  // A reload's previous page may hold the lock for a moment longer: wait up to 3 s for it.
  const options = typeof AbortSignal !== 'undefined' && AbortSignal.timeout
                      ? {signal: AbortSignal.timeout(3000)}
                      : {ifAvailable: true};
  navigator.locks
      .request('aftercare-data', options, (lock) => {
        if (!lock) return refuseSecondCopy();
        startApp();
        return new Promise(() => {});  // held until the page goes
      })
      .catch(refuseSecondCopy);  // the wait timed out
} else {
  startApp();
}

// Offline after the first visit.
if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('sw.js').catch((error) => console.error('service worker:', error));
  });
}

// Ask the browser not to evict the data under storage pressure (granted to installed apps).
if (navigator.storage && navigator.storage.persist) {
  navigator.storage.persisted().then((persisted) => persisted || navigator.storage.persist());
}

// Back on screen (unlocked, switched back to; perhaps after a flight): the app reads the zone
// and the clock again at once rather than at the next minute.
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && Module.calledRun) {
    Module.ccall('aftercare_visible', null, [], []);
  }
});

// The soft keyboard: the app calls Module.setKeyboard(true) when a text field takes focus, and a
// tap on a text field focuses the text area at once (iOS opens its keyboard only for a focus
// inside the touch's own handler). What is typed (and composed, with an IME) goes to the app as
// text; a soft keyboard's backspace as a Backspace key; a hardware keyboard's keys reach the app
// through SDL. The text area is kept empty but for a sentinel, so that a phone's backspace still
// has something to delete and reports it.
const keyboard = document.getElementById('keyboard');
const SENTINEL = '\u200b';
function resetKeyboard() {
  keyboard.value = SENTINEL;
  keyboard.setSelectionRange(1, 1);
}
Module.setKeyboard = (wanted) => {
  if (wanted) {
    resetKeyboard();
    keyboard.focus({preventScroll: true});
  } else if (document.activeElement === keyboard) {
    keyboard.blur();
  }
};
// SDL takes text from keypress events on the window as well: those from the text area are its
// to give, once.
keyboard.addEventListener('keypress', (event) => event.stopPropagation());
// A hardware keyboard's Backspace reaches the app as a key through SDL; a phone's soft keyboard
// sends no such key ("Unidentified"), only the deletion, which is passed on here.
let backspaceKeyDown = false;
keyboard.addEventListener('keydown', (event) => { backspaceKeyDown = event.key === 'Backspace'; });
keyboard.addEventListener('keyup', () => { backspaceKeyDown = false; });
keyboard.addEventListener('input', (event) => {
  if (event.isComposing) return;
  if (event.inputType === 'deleteContentBackward' && !backspaceKeyDown &&
      !keyboard.value.includes(SENTINEL)) {
    Module.ccall('aftercare_key', null, ['string'], ['Backspace']);
  } else {
    const typed = keyboard.value.split(SENTINEL).join('');
    if (typed) Module.ccall('aftercare_text', null, ['string'], [typed]);
  }
  resetKeyboard();
});
document.getElementById('canvas').addEventListener('touchend', (event) => {
  const touch = event.changedTouches[0];
  if (!touch || !Module.calledRun) return;
  const box = event.target.getBoundingClientRect();
  if (Module.ccall('aftercare_text_field_at', 'number', ['number', 'number'],
                   [touch.clientX - box.left, touch.clientY - box.top])) {
    resetKeyboard();
    keyboard.focus({preventScroll: true});
  }
});
keyboard.addEventListener('compositionend', () => {
  const typed = keyboard.value.split(SENTINEL).join('');
  if (typed) Module.ccall('aftercare_text', null, ['string'], [typed]);
  resetKeyboard();
});
