// The page's side of the web app: the module's settings, the service worker, persistent
// storage, and the soft keyboard ImGui cannot open on its own (a canvas takes no text on a
// phone). Loaded before aftercare.js.
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

// The soft keyboard: the app calls aftercare_keyboard(true) when a text field takes focus. What
// is typed (and composed, with an IME) goes to the app as text; Backspace and Enter as keys.
// The text area is kept empty but for a sentinel, so that a phone's backspace still has
// something to delete and reports it.
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
keyboard.addEventListener('compositionend', () => {
  const typed = keyboard.value.split(SENTINEL).join('');
  if (typed) Module.ccall('aftercare_text', null, ['string'], [typed]);
  resetKeyboard();
});
