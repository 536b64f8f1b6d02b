// The test page: the chat pane talks JSON to /demo/chat; the phone pane plays
// the TwiML of /demo/voice the way Twilio would (Say, Gather, Redirect, Dial,
// Hangup), with the keypad, a text box standing in for speech, and the
// browser's own speech synthesis reading the prompts aloud.

const byId = (id) => document.getElementById(id);
const phoneField = byId('phone');

/** A random session id; crypto.randomUUID is missing on plain http outside localhost. */
function randomId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Appends `text` to `parent`, showing our templates' *bold* spans in bold (never as HTML). */
function appendMarked(parent, text) {
  text.split(/\*([^*\n]+)\*/).forEach((part, index) => {
    if (index % 2 === 1) {
      const strong = document.createElement('strong');
      strong.textContent = part;
      parent.append(strong);
    } else if (part) {
      parent.append(part);
    }
  });
}

function addEntry(log, className, text) {
  const item = document.createElement('li');
  item.className = className;
  appendMarked(item, text);
  log.append(item);
  log.scrollTop = log.scrollHeight;
}

async function problemOf(response) {
  const body = await response.json().catch(() => ({}));
  return body.problem ?? body.error ?? `HTTP ${response.status}`;
}

// ---------------------------------------------------------------- chat

const chatLog = byId('chat-log');
const choicesBox = byId('chat-choices');
const chatText = byId('chat-text');
const chat = { session: randomId(), seq: 0, role: 'customer', queue: Promise.resolve() };

const chatNote = (text, problem = false) => addEntry(chatLog, problem ? 'note problem' : 'note', text);

/** Sends one message; messages go out one after another so replies stay in order. */
function sendChat(message, shownAs) {
  if (shownAs) addEntry(chatLog, 'bubble me', shownAs);
  const body = { session: chat.session, seq: chat.seq, as: chat.role, ...message };
  chat.seq += 1;
  if (chat.role === 'customer') body.phone = phoneField.value.trim();
  const session = chat.session;
  chat.queue = chat.queue.then(() => postChat(body, session));
  return chat.queue;
}

async function postChat(body, session) {
  let response;
  try {
    response = await fetch('/demo/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    chatNote('Keine Verbindung zum Server.', true);
    return;
  }
  // A reply to a conversation the tester has since left (other role or number) is not shown.
  if (session !== chat.session || response.status === 204) return;
  if (response.status === 429) chatNote('Zu viele Nachrichten auf einmal. Bitte einen Moment warten.', true);
  else if (!response.ok) chatNote(`Nicht angenommen: ${await problemOf(response)}`, true);
  else showTurn(await response.json());
}

function showTurn(turn) {
  for (const message of turn.messages) addEntry(chatLog, 'bubble bot', message);
  choicesBox.replaceChildren(
    ...turn.choices.map((choice) => {
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = choice.label;
      button.addEventListener('click', () => {
        choicesBox.replaceChildren();
        chatText.focus();
        sendChat({ choice: choice.id }, choice.label);
      });
      return button;
    }),
  );
  if (turn.status === 'ended') chatNote('Gespräch beendet. Schreiben Sie einfach weiter, um neu zu beginnen.');
}

/** A new conversation: another role or another customer number is another person. */
function restartChat() {
  chat.session = randomId();
  chat.seq = 0;
  chat.role = document.querySelector('input[name="role"]:checked').value;
  chatLog.replaceChildren();
  choicesBox.replaceChildren();
  sendChat({ start: true });
}

// Enter sends, Shift+Enter starts a new line: a producer pastes or types a whole weekly post.
chatText.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  byId('chat-form').requestSubmit();
});

byId('chat-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = chatText.value.trim();
  if (!text) return;
  chatText.value = '';
  choicesBox.replaceChildren();
  sendChat({ text }, text);
});
for (const radio of document.querySelectorAll('input[name="role"]')) radio.addEventListener('change', restartChat);
phoneField.addEventListener('change', () => {
  if (chat.role === 'customer') restartChat();
});

// ---------------------------------------------------------------- phone

const phoneLog = byId('phone-log');
const callStatus = byId('call-status');
const keyedOutput = byId('keyed');
const callButton = byId('call');
const hangupButton = byId('hangup');
const autoSilence = byId('auto-silence');
const readAloud = byId('read-aloud');
const inCallControls = [...document.querySelectorAll('#keypad button'), byId('send-digits'), byId('silence'), byId('speech-text')];

const call = { sid: null, from: null, gather: null, redirect: null, keyed: '', silenceTimer: null, generation: 0 };

const phoneNote = (text) => addEntry(phoneLog, 'note', text);

function showCallControls(active) {
  callButton.disabled = active;
  hangupButton.disabled = !active;
  for (const control of inCallControls) control.disabled = !active;
}

function setKeyed(digits) {
  call.keyed = digits;
  keyedOutput.textContent = digits;
}

function stopWaiting() {
  clearTimeout(call.silenceTimer);
  call.silenceTimer = null;
}

/** Reads `<Say>` texts aloud in order; resolves when the last one is done (or at once when not reading). */
function speak(says) {
  const synth = window.speechSynthesis;
  if (!readAloud.checked || !synth || says.length === 0) return Promise.resolve();
  const voices = synth.getVoices();
  return new Promise((resolve) => {
    says.forEach(({ text, language }, index) => {
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = language;
      utterance.voice =
        voices.find((voice) => voice.lang === language) ??
        voices.find((voice) => voice.lang.startsWith(language.slice(0, 2))) ??
        null;
      if (index === says.length - 1) {
        utterance.onend = () => resolve();
        utterance.onerror = () => resolve();
      }
      synth.speak(utterance);
    });
  });
}

function quiet() {
  window.speechSynthesis?.cancel();
}

/** Follows one TwiML document as Twilio would. */
function play(xml) {
  const twimlDocument = new DOMParser().parseFromString(xml, 'application/xml');
  if (twimlDocument.querySelector('parsererror') || twimlDocument.documentElement.localName !== 'Response') {
    phoneNote('Die Antwort war kein TwiML.');
    hangUp('Anruf abgebrochen.');
    return;
  }
  const says = [];
  const say = (element) => {
    const text = element.textContent.trim();
    addEntry(phoneLog, 'bubble bot', text);
    says.push({ text, language: element.getAttribute('language') ?? 'de-DE' });
  };
  let gather = null;
  let redirect = null;
  let pauseSeconds = 0;
  let hangup = false;
  for (const verb of twimlDocument.documentElement.children) {
    switch (verb.localName) {
      case 'Say':
        say(verb);
        break;
      case 'Gather':
        gather = {
          action: verb.getAttribute('action'),
          finishOnKey: verb.getAttribute('finishOnKey'),
          numDigits: verb.getAttribute('numDigits'),
          timeoutSeconds: Number(verb.getAttribute('timeout') ?? 5),
        };
        for (const inner of verb.getElementsByTagName('Say')) say(inner);
        break;
      case 'Redirect':
        redirect = verb.textContent.trim();
        break;
      case 'Pause':
        pauseSeconds += Number(verb.getAttribute('length') ?? 1);
        break;
      case 'Dial':
        phoneNote(`Verbinde mit Mitarbeiter … (Demo) – ${verb.textContent.trim()}`);
        break;
      case 'Hangup':
        hangup = true;
        break;
    }
  }
  const spoken = speak(says);
  if (hangup) {
    hangUp('Der Marktbote hat aufgelegt.', { letFinish: true });
  } else if (gather) {
    call.gather = gather;
    call.redirect = redirect;
    callStatus.textContent = gather.finishOnKey
      ? `Im Gespräch – Zahl eintippen, dann ${gather.finishOnKey === '#' ? 'Raute' : gather.finishOnKey}`
      : 'Im Gespräch – eine Taste drücken oder sprechen';
    const generation = call.generation;
    // Twilio waits `timeout` seconds after the prompt before it counts silence.
    spoken.then(() => {
      if (generation !== call.generation || call.gather !== gather || !autoSilence.checked || !redirect) return;
      call.silenceTimer = setTimeout(() => keepSilent(), gather.timeoutSeconds * 1000);
    });
  } else if (redirect) {
    setTimeout(() => postStep(redirect, {}), pauseSeconds * 1000);
  }
}

/** Posts one answer of the call to `url` with the fields Twilio sends, then plays the reply. */
async function postStep(url, fields) {
  const generation = call.generation;
  stopWaiting();
  call.gather = null;
  call.redirect = null;
  setKeyed('');
  let response;
  try {
    response = await fetch(url, { method: 'POST', body: new URLSearchParams({ CallSid: call.sid, From: call.from, ...fields }) });
  } catch {
    if (generation === call.generation) hangUp('Keine Verbindung zum Server.');
    return;
  }
  if (generation !== call.generation) return;
  if (!response.ok) {
    hangUp(`Anruf abgebrochen: ${await problemOf(response)}`);
    return;
  }
  play(await response.text());
}

async function placeCall() {
  call.generation += 1;
  const generation = call.generation;
  call.from = phoneField.value.trim();
  phoneLog.replaceChildren();
  setKeyed('');
  showCallControls(true);
  callStatus.textContent = `Verbinde als ${call.from} …`;
  let response;
  try {
    response = await fetch('/demo/voice', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: call.from }),
    });
  } catch {
    hangUp('Keine Verbindung zum Server.');
    return;
  }
  if (generation !== call.generation) return;
  if (!response.ok) {
    hangUp(`Anruf nicht möglich: ${await problemOf(response)}`);
    return;
  }
  call.sid = response.headers.get('x-demo-call-sid');
  callStatus.textContent = 'Im Gespräch';
  play(await response.text());
}

/** Ends the call on this side; late replies of the old call are ignored. */
function hangUp(reason, options = {}) {
  call.generation += 1;
  stopWaiting();
  if (!options.letFinish) quiet();
  call.sid = null;
  call.gather = null;
  call.redirect = null;
  setKeyed('');
  showCallControls(false);
  callStatus.textContent = reason;
  phoneNote(reason);
  callButton.focus();
}

/** The caller says nothing: Twilio follows the `<Redirect>` after the Gather. */
function keepSilent() {
  if (!call.redirect) return;
  phoneNote('(Stille)');
  postStep(call.redirect, {});
}

function answer(fields, shownAs) {
  if (!call.gather) return;
  quiet();
  addEntry(phoneLog, 'bubble me', shownAs);
  postStep(call.gather.action, fields);
}

function sendDigits(digits) {
  if (digits) answer({ Digits: digits }, `Tasten ${digits}`);
}

/** A key press: one key answers a menu at once; a number is collected until the finishing key. */
function press(key) {
  const gather = call.gather;
  if (!gather) return;
  // A key interrupts the prompt, as on the phone.
  quiet();
  stopWaiting();
  if (gather.numDigits === '1' || !gather.finishOnKey) sendDigits(key);
  else if (key === gather.finishOnKey) sendDigits(call.keyed);
  else setKeyed(call.keyed + key);
}

for (const button of document.querySelectorAll('#keypad button')) {
  button.addEventListener('click', () => press(button.dataset.key));
}
byId('send-digits').addEventListener('click', () => sendDigits(call.keyed));
byId('silence').addEventListener('click', keepSilent);
byId('speech-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const speech = byId('speech-text');
  const text = speech.value.trim();
  if (!text) return;
  speech.value = '';
  answer({ SpeechResult: text, Confidence: '0.9' }, `„${text}“ (gesprochen)`);
});
callButton.addEventListener('click', placeCall);
hangupButton.addEventListener('click', () => hangUp('Aufgelegt.'));

showCallControls(false);
restartChat();
