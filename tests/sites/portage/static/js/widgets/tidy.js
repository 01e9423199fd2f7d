// Small helpers that tidy what people type in the delivery form.

/** "tremblay" → "Tremblay", "marie-ève" → "Marie-Ève": capitals after spaces and hyphens. */
export function titleCase(value) {
  return value.replace(/(^|[\s'-])(\p{Ll})/gu, (_, sep, ch) => sep + ch.toLocaleUpperCase());
}

function tidyInPlace(input, value) {
  const tidy = titleCase(value);
  if (tidy === input.value) return;
  const caret = input.selectionStart;
  input.value = tidy;
  input.setSelectionRange(caret, caret);
}

/**
 * Capitalise names as they are typed. "per-field" listens on each name field; "delegated" (the
 * newer version) listens once on the form, but looks the field up with querySelector, which
 * always finds the first name field: what is typed in "Last name" is written into "First name".
 */
export function bindNameTidy(form, mode) {
  const fields = [...form.querySelectorAll("input[data-tidy]")];
  if (mode === "delegated") {
    form.addEventListener("input", (event) => {
      if (!event.target.matches("input[data-tidy]")) return;
      const field = form.querySelector("input[data-tidy]");
      field.value = titleCase(event.target.value);
    });
    return;
  }
  fields.forEach((input) => input.addEventListener("input", () => tidyInPlace(input, input.value)));
}

const PHONE = /^\(\d{3}\) \d{3}-\d{4}$/;

function pretty(digits) {
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}

/**
 * North American numbers. "lenient" writes any 10 (or 1 + 10) digits as (613) 555-0142 when the
 * field is left, and leaves anything else as typed. "strict" is the input-mask library's
 * `clearIfNotMatch`: when the field is left, a value not already in the mask's exact shape is
 * emptied, so "613 555 0142" typed by a person is thrown away.
 */
export function bindPhoneMask(input, mode) {
  input.addEventListener("change", () => {
    const value = input.value.trim();
    if (mode === "strict") {
      if (value && !PHONE.test(value)) input.value = "";
      return;
    }
    const digits = value.replace(/\D/g, "").replace(/^1(?=\d{10}$)/, "");
    if (digits.length === 10) input.value = pretty(digits);
  });
}
