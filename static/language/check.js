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
  textarea.value = value.slice(0, start) + suggestion + value.slice(end);
  textarea.dispatchEvent(new Event("input", { bubbles: true }));
  textarea.focus();
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

// A keep without a reason answers 400 with the findings and the error:
// show them (htmx swaps no 4xx by itself) and put the keyboard on the box.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr && xhr.status === 400 && xhr.getResponseHeader("Harbour-Language-Form-Error")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});

document.addEventListener("htmx:afterSwap", (event) => {
  const target = event.detail.target;
  if (!(target instanceof Element) || !target.classList.contains("harbour-language")) return;
  const invalid = target.querySelector(".govuk-input--error");
  if (invalid) {
    invalid.focus();
    return;
  }
  const said = target.querySelector(".harbour-language__said");
  const group = target.closest(".harbour-language-field");
  const textarea = group && group.querySelector("textarea");
  if (said && textarea) {
    // After a keep the button has gone: back to the text, and say so.
    textarea.focus();
    say(textarea, said.textContent.trim());
  }
});
