(() => {
  'use strict';
  // Everything here is a convenience: the findings are all in the markup.
  const doc = document;
  const total = Number(doc.body.dataset.findings) || 0;
  const toolbar = doc.getElementById('toolbar');
  const popover = doc.getElementById('popover');
  const position = doc.getElementById('position');
  const main = doc.getElementById('files');
  let current = -1;
  let hideTimer = 0;

  // Filters and navigation have nothing to act on in a clean run.
  toolbar.hidden = total === 0;

  const firstMark = (index) => doc.getElementById('f-' + index);
  const listItem = (index) => doc.getElementById('d-' + index);
  const isShown = (index) => {
    const item = listItem(index);
    return item !== null && !item.classList.contains('filtered');
  };

  function openAround(element) {
    for (let details = element.closest('details'); details; details = details.parentElement.closest('details')) {
      details.open = true;
    }
  }

  function setActive(index) {
    for (const element of doc.querySelectorAll('.active')) element.classList.remove('active');
    const mark = firstMark(index);
    if (!mark) return;
    const section = mark.closest('details') || doc;
    const selector = '[data-finding="' + index + '"], [data-related="' + index + '"]';
    for (const element of section.querySelectorAll(selector)) element.classList.add('active');
    listItem(index).classList.add('active');
  }

  function updatePosition() {
    const shown = doc.querySelectorAll('li.finding:not(.filtered)').length;
    const label = shown === 1 ? ' finding' : ' findings';
    if (current >= 0 && isShown(current)) {
      let rank = 0;
      for (let index = 0; index <= current; index += 1) if (isShown(index)) rank += 1;
      position.textContent = rank + ' of ' + shown + label;
    } else {
      position.textContent = shown + label;
    }
  }

  // The cards of every finding covering the hovered or focused words.
  function show(mark) {
    const indices = [];
    for (let element = mark; element; element = element.parentElement.closest('mark.f')) {
      const index = Number(element.dataset.finding);
      if (!indices.includes(index) && isShown(index)) indices.push(index);
    }
    if (indices.length === 0) {
      hide();
      return;
    }
    const cards = indices.map((index) => {
      const card = doc.createElement('div');
      const item = listItem(index);
      card.className = 'card ' + item.className.replace(/\b(active|finding)\b/g, '');
      for (const child of item.children) card.append(child.cloneNode(true));
      return card;
    });
    popover.replaceChildren(...cards);
    popover.hidden = false;
    const rects = mark.getClientRects();
    const rect = rects.length > 0 ? rects[0] : mark.getBoundingClientRect();
    const width = popover.offsetWidth;
    const height = popover.offsetHeight;
    const viewport = doc.documentElement.clientWidth;
    const left = Math.max(12, Math.min(rect.left, viewport - width - 12));
    let top = rect.bottom + 8;
    if (top + height > window.innerHeight && rect.top - height - 8 > 0) top = rect.top - height - 8;
    popover.style.left = (left + window.scrollX) + 'px';
    popover.style.top = (top + window.scrollY) + 'px';
  }

  function hide() {
    clearTimeout(hideTimer);
    popover.hidden = true;
  }

  function go(index) {
    const mark = firstMark(index);
    if (!mark) return;
    current = index;
    openAround(mark);
    mark.scrollIntoView({ block: 'center' });
    mark.focus({ preventScroll: true });
    setActive(index);
    show(mark);
    updatePosition();
  }

  function step(direction) {
    let index = current < 0 && direction < 0 ? total - 1 : current + direction;
    for (; index >= 0 && index < total; index += direction) {
      if (isShown(index)) {
        go(index);
        return;
      }
    }
  }

  function applyFilters() {
    const hiddenSeverities = new Set();
    const hiddenRules = new Set();
    for (const box of toolbar.querySelectorAll('input[data-filter-severity]')) {
      if (!box.checked) hiddenSeverities.add(box.dataset.filterSeverity);
    }
    const ruleBoxes = toolbar.querySelectorAll('input[data-filter-rule]');
    for (const box of ruleBoxes) {
      if (!box.checked) hiddenRules.add(box.dataset.filterRule);
    }
    const shownRules = ruleBoxes.length - hiddenRules.size;
    doc.getElementById('rules-shown').textContent =
      shownRules === ruleBoxes.length ? 'all ' + shownRules : shownRules + ' of ' + ruleBoxes.length;
    for (const element of main.querySelectorAll('[data-rule]')) {
      const filtered = hiddenSeverities.has(element.dataset.severity) || hiddenRules.has(element.dataset.rule);
      element.classList.toggle('filtered', filtered);
    }
    hide();
    updatePosition();
  }

  main.addEventListener('mouseover', (event) => {
    const mark = event.target.closest('mark.f');
    if (mark) {
      clearTimeout(hideTimer);
      show(mark);
    }
  });
  main.addEventListener('mouseout', (event) => {
    if (event.target.closest('mark.f') && doc.activeElement !== event.target) {
      hideTimer = setTimeout(hide, 250);
    }
  });
  popover.addEventListener('mouseenter', () => clearTimeout(hideTimer));
  popover.addEventListener('mouseleave', () => { hideTimer = setTimeout(hide, 250); });
  main.addEventListener('focusin', (event) => {
    const mark = event.target.closest('mark.f');
    if (!mark) return;
    current = Number(mark.dataset.finding);
    setActive(current);
    show(mark);
    updatePosition();
  });
  main.addEventListener('focusout', (event) => {
    if (event.target.closest('mark.f')) hideTimer = setTimeout(hide, 250);
  });

  doc.addEventListener('keydown', (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest && target.closest('input:not([type=checkbox]), textarea, select, [contenteditable]')) return;
    if (event.key === 'n' || event.key === 'j') {
      event.preventDefault();
      step(1);
    } else if (event.key === 'p' || event.key === 'k') {
      event.preventDefault();
      step(-1);
    } else if (event.key === 'Escape') {
      hide();
    }
  });

  toolbar.addEventListener('change', applyFilters);
  toolbar.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (!button) return;
    if (button.dataset.step) step(Number(button.dataset.step));
    if (button.dataset.expand) {
      const open = button.dataset.expand === 'open';
      for (const details of main.querySelectorAll('details.file')) details.open = open;
    }
  });

  const rulesMenu = toolbar.querySelector('.rules-menu');
  doc.addEventListener('click', (event) => {
    if (rulesMenu && rulesMenu.open && !rulesMenu.contains(event.target)) rulesMenu.open = false;
  });

  // A link to a finding or a file opens its collapsed section first.
  function followHash() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id && doc.getElementById(id);
    if (!target) return;
    openAround(target);
    if (target.matches('details')) target.open = true;
    const match = /^[fd]-(\d+)$/.exec(id);
    if (match) {
      current = Number(match[1]);
      setActive(current);
      updatePosition();
    }
    target.scrollIntoView({ block: 'center' });
  }
  window.addEventListener('hashchange', followHash);
  followHash();
  updatePosition();
})();
