// The language check under every textarea (templates/govuk/field.html):
// "Use this wording" puts the suggestion in place of exactly the flagged
// phrase, and a keep refused for want of a reason shows its error.
// Loaded as a module, so it runs once however many textareas a page has;
// no inline script or style, for the CSP.

function fieldFor(button) {
  const group = button.closest(".govuk-form-group.harbour-language-field");
  return group ? group.querySelector("textarea") : null;
}

function say(textarea, message) {
  const status = document.getElementById(`${textarea.name}-language-status`);
  if (status) {
    // Cleared first so the same sentence twice is announced twice.
    status.textContent = "";
    window.setTimeout(() => { status.textContent = message; }, 50);
  }
}

function recheck(textarea) {
  // The textarea's own htmx trigger ("change") asks for the findings again.
  textarea.dispatchEvent(new Event("change", { bubbles: true }));
}

function useWording(button) {
  const textarea = fieldFor(button);
  if (!textarea) return;
  const start = Number(button.dataset.start);
  const end = Number(button.dataset.end);
  const phrase = button.dataset.phrase || "";
  const suggestion = button.dataset.suggestion || "";
  const value = textarea.value;
  if (!Number.isInteger(start) || !Number.isInteger(end) || value.slice(start, end) !== phrase) {
    // The text changed since the check: check it again rather than guess.
    say(textarea, "The text has changed since it was checked: checking it again.");
    recheck(textarea);
    textarea.focus();
    return;
  }
  // As if typed, so the browser's undo (Ctrl+Z) takes the wording back out;
  // where the browser has no insertText, set the value instead.
  textarea.focus();
  textarea.setSelectionRange(start, end);
  const typed = document.execCommand && document.execCommand("insertText", false, suggestion);
  if (!typed || textarea.value.slice(start, start + suggestion.length) !== suggestion) {
    textarea.value = value.slice(0, start) + suggestion + value.slice(end);
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }
  const caret = start + suggestion.length;
  textarea.setSelectionRange(caret, caret);
  say(textarea, `Replaced “${phrase}” with “${suggestion}”. Checking the text again.`);
  recheck(textarea);
}

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("[data-language-use]");
  if (button) {
    event.preventDefault();
    useWording(button);
  }
});

// Enter in a reason box keeps the words; it must not submit the form the
// findings sit in (that would save the record, and keep nothing).
document.addEventListener("keydown", (event) => {
  const box = event.target;
  if (event.key !== "Enter" || !(box instanceof HTMLInputElement)) return;
  if (!box.closest(".harbour-language") || !box.name.includes("-language-reason-")) return;
  event.preventDefault();
  const details = box.closest(".govuk-details__text");
  const keep = details && details.querySelector("button[hx-post]");
  if (keep instanceof HTMLButtonElement) keep.click();
});

// The findings are swapped in whenever the text is checked (as it is typed,
// and when the textarea loses focus). An answer the same as the one shown is
// not swapped, so a keyboard user tabbing to a button keeps their place; a
// different one keeps the focus on the same control where it still exists.
const shown = new WeakMap();
const focusedIn = new WeakMap();
// Each request for a field's findings is numbered as it is sent: an answer
// older than the one shown (a check sent before a keep) is never swapped in,
// so it cannot bring back a phrase just kept.
let sent = 0;
const newest = new WeakMap();

document.addEventListener("htmx:beforeRequest", (event) => {
  if (isFindings(event.detail.target) && event.detail.xhr) {
    sent += 1;
    event.detail.xhr.harbourLanguageRequest = sent;
  }
});

function describe(element) {
  if (!(element instanceof HTMLElement)) return null;
  if (element.id) return `#${CSS.escape(element.id)}`;
  if (element.matches("[data-language-use]")) {
    return `[data-language-use][data-start="${element.dataset.start}"]` +
      `[data-phrase="${CSS.escape(element.dataset.phrase || "")}"]`;
  }
  const vals = element.getAttribute("hx-vals");
  return vals ? `[hx-vals="${CSS.escape(vals)}"]` : null;
}

function isFindings(target) {
  return target instanceof Element && target.classList.contains("harbour-language");
}

// A keep without a reason answers 400 with the findings and the error:
// show them (htmx swaps no 4xx by itself) and put the keyboard on the box.
document.addEventListener("htmx:beforeSwap", (event) => {
  const target = event.detail.target;
  if (!isFindings(target)) return;
  const xhr = event.detail.xhr;
  if (xhr && xhr.status === 400 && xhr.getResponseHeader("Harbour-Language-Form-Error")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
  if (!event.detail.shouldSwap) return;
  const number = (xhr && xhr.harbourLanguageRequest) || 0;
  if (number < (newest.get(target) || 0)) {
    event.detail.shouldSwap = false;
    return;
  }
  newest.set(target, number);
  const text = xhr ? xhr.responseText : null;
  if (text !== null && shown.get(target) === text) {
    event.detail.shouldSwap = false;
    return;
  }
  shown.set(target, text);
  const active = document.activeElement;
  focusedIn.set(target, target.contains(active) ? describe(active) || "" : null);
});

// After settling: htmx gives the new controls their final attributes only then.
document.addEventListener("htmx:afterSettle", (event) => {
  const target = event.detail.target;
  if (!isFindings(target)) return;
  const group = target.closest(".harbour-language-field");
  const textarea = group && group.querySelector("textarea");
  const invalid = target.querySelector(".govuk-input--error");
  if (invalid) {
    invalid.focus();
    return;
  }
  const said = target.querySelector(".harbour-language__said");
  if (said && textarea) {
    // After a keep its button has gone: back to the text, and say so.
    textarea.focus();
    say(textarea, said.textContent.trim());
    return;
  }
  const was = focusedIn.get(target);
  if (was === null || was === undefined) return;
  const again = was ? target.querySelector(was) : null;
  if (again instanceof HTMLElement) {
    again.focus();
  } else if (textarea) {
    textarea.focus();
  }
});
