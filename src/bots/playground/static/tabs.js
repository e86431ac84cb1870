// An ARIA tab list: click or arrow keys pick a tab, Home/End the first/last; only the chosen
// tab is in the Tab order and only its panel is shown.

export function createTabs(list, onChange) {
  const tabs = [...list.querySelectorAll('[role="tab"]')];
  const panelOf = (tab) => document.getElementById(tab.getAttribute('aria-controls'));

  function select(tab, focus) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute('aria-selected', String(on));
      t.tabIndex = on ? 0 : -1;
      panelOf(t).hidden = !on;
    }
    if (focus) tab.focus();
    onChange(tab.dataset.mode);
  }

  for (const tab of tabs) tab.addEventListener('click', () => select(tab, false));
  list.addEventListener('keydown', (e) => {
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    const next = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (next === undefined) return;
    e.preventDefault();
    select(tabs[(next + tabs.length) % tabs.length], true);
  });

  return {
    get mode() {
      const on = tabs.find((t) => t.getAttribute('aria-selected') === 'true');
      return on ? on.dataset.mode : tabs[0].dataset.mode;
    },
  };
}
