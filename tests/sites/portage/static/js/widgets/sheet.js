// A style sheet of a component's own, built once when its module loads.
export function ownStyles(text) {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  return sheet;
}
