// Hotline web UI: the little the server cannot do alone. Native browser APIs only
// (fetch, EventSource, <dialog>); every page works for reading without it.
//
// - Live parts (wallboard board, agent desktop panel) follow a server-sent event stream
//   of the API and, when it says something changed, fetch their server-rendered HTML
//   again and swap it in.
// - Durations marked data-tick="<ms at render>" count up every second in between.
// - Desktop buttons and admin forms call the JSON API with the session cookie; problem
//   documents are shown next to the field they name.
'use strict';

(function () {
  // ----- ticking durations --------------------------------------------------------------
  function clock(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60, r = s % 60;
    var mm = h > 0 ? String(m).padStart(2, '0') : String(m);
    return (h > 0 ? h + ':' : '') + mm + ':' + String(r).padStart(2, '0');
  }
  function stampTicks(root) {
    var now = Date.now();
    root.querySelectorAll('[data-tick]').forEach(function (el) { el.dataset.tickFrom = String(now); });
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-tick]').forEach(function (el) {
      var base = Number(el.dataset.tick), from = Number(el.dataset.tickFrom || now);
      if (!isNaN(base)) el.textContent = clock(base + (now - from));
    });
  }

  function toLogin() {
    location.href = '/login?ended=1&next=' + encodeURIComponent(location.pathname + location.search);
  }

  // ----- live regions ------------------------------------------------------------------
  function liveIndicator(state) {
    var el = document.getElementById('live');
    if (!el) return;
    el.dataset.state = state;
    var text = el.querySelector('.text');
    if (text) text.textContent = el.dataset['text' + state.charAt(0).toUpperCase() + state.slice(1)] || state;
  }

  // Follows `stream` and re-renders `box` from `fragment`: at most one fetch at a time and
  // at most one per `minGap` ms; a change during a fetch schedules one more.
  function follow(box, minGap, onSwap) {
    var busy = false, again = false, last = 0, timer = null;
    function refresh() {
      if (busy) { again = true; return; }
      var wait = last + minGap - Date.now();
      if (wait > 0) { if (!timer) timer = setTimeout(function () { timer = null; refresh(); }, wait); return; }
      busy = true; last = Date.now();
      fetch(box.dataset.fragment, { credentials: 'same-origin', headers: { 'Accept': 'text/html' } })
        .then(function (r) {
          if (r.status === 401) { toLogin(); return null; }
          return r.ok ? r.text() : null;
        })
        .then(function (html) {
          if (html === null || html === undefined) return;
          var focused = document.activeElement && document.activeElement.id;
          box.innerHTML = html;
          stampTicks(box);
          box.dataset.version = String(Number(box.dataset.version || 0) + 1);
          if (focused) { var f = document.getElementById(focused); if (f) f.focus(); }
          if (onSwap) onSwap(box);
        })
        .catch(function () { /* the stream's reconnection brings the next refresh */ })
        .finally(function () { busy = false; if (again) { again = false; refresh(); } });
    }
    var source = new EventSource(box.dataset.stream, { withCredentials: true });
    var names = (box.dataset.streamEvent || '').split(' ').filter(Boolean);
    var kinds = names.length ? names : ['message'];
    kinds.forEach(function (name) { source.addEventListener(name, refresh); });
    source.addEventListener('open', function () { liveIndicator('live'); });
    source.addEventListener('error', function () {
      liveIndicator(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
      if (source.readyState === EventSource.CLOSED) {
        // A closed stream is usually an ended session: check, then reconnect.
        fetch(box.dataset.fragment, { credentials: 'same-origin' }).then(function (r) {
          if (r.status === 401) toLogin(); else setTimeout(function () { follow(box, minGap, onSwap); }, 3000);
        }).catch(function () { setTimeout(function () { follow(box, minGap, onSwap); }, 3000); });
      }
    });
    box.refresh = refresh;
    return source;
  }

  // ----- API calls -----------------------------------------------------------------------
  function api(method, url, body) {
    var init = { method: method, credentials: 'same-origin', headers: { 'Accept': 'application/json' } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    return fetch(url, init).then(function (r) {
      if (r.status === 401) { toLogin(); return Promise.reject({ detail: '401' }); }
      if (r.ok) return r.status === 204 ? null : r.json().catch(function () { return null; });
      return r.json().catch(function () { return { detail: r.status + ' ' + r.statusText }; })
        .then(function (p) { return Promise.reject(p); });
    });
  }

  // ----- agent desktop -----------------------------------------------------------------------
  function desktop(box) {
    var agent = box.dataset.agent;
    var errorBox = document.getElementById('desk-error');
    var titleBase = document.title;
    function showError(p) {
      if (!errorBox) return;
      errorBox.textContent = (errorBox.dataset.prefix || '') + ' ' + ((p && p.detail) || p);
      errorBox.hidden = false;
    }
    function onSwap() {
      var offer = box.querySelector('[data-offer]');
      document.title = offer ? '● ' + titleBase : titleBase;
      var accept = box.querySelector('[data-action="accept"]');
      if (accept && !box.contains(document.activeElement)) accept.focus();
    }
    follow(box, 0, onSwap);
    onSwap();
    box.addEventListener('click', function (ev) {
      var b = ev.target.closest('[data-action]');
      if (!b || !box.contains(b)) return;
      var action = b.dataset.action, contact = b.dataset.contact && Number(b.dataset.contact);
      var url, body;
      if (action === 'end') {
        url = '/api/v1/contacts/' + b.dataset.contact + '/end';
      } else {
        url = '/api/v1/agents/' + agent + '/' + action;
        if (action === 'not-ready') {
          var sel = box.querySelector('[data-reason]');
          body = { reason: sel ? sel.value : 'break' };
        } else if (contact) {
          body = { contact_id: contact };
        }
      }
      errorBox && (errorBox.hidden = true);
      b.disabled = true;
      api('POST', url, body)
        .then(function () { box.refresh(); })
        .catch(function (p) { showError(p); b.disabled = false; box.refresh(); });
    });
  }

  // ----- admin forms ---------------------------------------------------------------------
  function parsePath(name) {
    var out = [];
    name.replace(/([^.[\]]+)|\[(\d+)\]/g, function (_, key, index) {
      out.push(index !== undefined ? Number(index) : key);
      return '';
    });
    return out;
  }
  function setPath(obj, path, value) {
    var cur = obj;
    for (var i = 0; i < path.length - 1; i++) {
      var k = path[i];
      if (cur[k] === undefined) cur[k] = typeof path[i + 1] === 'number' ? [] : {};
      cur = cur[k];
    }
    cur[path[path.length - 1]] = value;
  }
  function getPath(obj, path) {
    return path.reduce(function (o, k) { return o === undefined || o === null ? undefined : o[k]; }, obj);
  }
  // The form as the API's JSON: inputs are named after the fields; data-type says how to
  // read them; disabled inputs are left out.
  function serialize(form) {
    var out = {};
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled) return;
      var type = el.dataset.type || 'str', v;
      if (type === 'bool') v = el.checked;
      else if (type === 'int' || type === 'opt-int') {
        if (el.value.trim() === '') { if (type === 'opt-int') v = null; else return; }
        else v = Number(el.value);
      } else if (type === 'float') {
        if (el.value.trim() === '') return;
        v = Number(el.value);
      } else if (type === 'opt-str') {
        if (el.value === '') return;
        v = el.value;
      } else v = el.value.trim();
      setPath(out, parsePath(el.name), v);
    });
    return out;
  }
  function fill(form, data) {
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name) return;
      var v = getPath(data, parsePath(el.name));
      if (el.dataset.type === 'bool') el.checked = !!v;
      else if (el.type !== 'password') el.value = v === undefined || v === null ? '' : String(v);
    });
  }
  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(function (e) { e.hidden = true; e.textContent = ''; });
    form.querySelectorAll('[aria-invalid]').forEach(function (e) {
      e.removeAttribute('aria-invalid');
      var ids = (e.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && id.indexOf('-err') < 0; });
      if (ids.length) e.setAttribute('aria-describedby', ids.join(' ')); else e.removeAttribute('aria-describedby');
    });
    var box = form.querySelector('[data-form-error]');
    if (box) { box.hidden = true; box.textContent = ''; }
  }
  var errorSeq = 0;
  function markField(input, message) {
    var field = input.closest('.field');
    var err = field && field.querySelector('.field-error');
    if (!err) return false;
    if (!err.id) err.id = 'field-err-' + (++errorSeq) + '-err';
    err.textContent = message;
    err.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    var ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    if (ids.indexOf(err.id) < 0) ids.push(err.id);
    input.setAttribute('aria-describedby', ids.join(' '));
    return true;
  }
  // Shows a problem document: next to the field it names when the form has it, else at
  // the top of the form. `resolve` maps a field to an input for special cases.
  function showProblem(form, problem, resolve) {
    var admin = document.getElementById('admin');
    var field = problem && problem.field;
    var input = null;
    if (field) {
      input = (resolve && resolve(field)) || form.querySelector('[name="' + CSS.escape(field) + '"]');
      // A path from deeper down (`people[0].username`): its tail names the input.
      var rest = field;
      while (!input && /^[^.[]+(\[\d+\])?\./.test(rest)) {
        rest = rest.replace(/^[^.[]+(\[\d+\])?\./, '');
        input = form.querySelector('[name="' + CSS.escape(rest) + '"]');
      }
      // `routing_steps[1].action` → the step's type; `routing_steps[1]` → its delay.
      if (!input) {
        var shorter = field;
        while (!input && /[.[]/.test(shorter)) {
          shorter = shorter.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
          input = form.querySelector('[name^="' + CSS.escape(shorter) + '"]');
        }
      }
    }
    var box = form.querySelector('[data-form-error]');
    var detail = (problem && problem.detail) || String(problem);
    if (input && markField(input, detail)) {
      if (box) { box.textContent = admin.dataset.textErrors; box.hidden = false; }
      input.focus();
    } else if (box) {
      box.textContent = admin.dataset.textProblem + ' ' + detail;
      box.hidden = false;
      box.focus && box.focus();
    }
  }

  function stepRows(form) { return form.querySelector('[data-steps]'); }
  function renumberSteps(form) {
    var rows = stepRows(form);
    if (!rows) return;
    Array.prototype.forEach.call(rows.children, function (li, i) {
      li.querySelectorAll('[name]').forEach(function (el) {
        el.name = el.name.replace(/routing_steps\[\d+\]/, 'routing_steps[' + i + ']');
      });
      li.querySelectorAll('[id]').forEach(function (el) {
        var old = el.id; el.id = old.replace(/^st-\d+-/, 'st-' + i + '-');
        var label = li.querySelector('label[for="' + old + '"]'); if (label) label.htmlFor = el.id;
      });
    });
  }
  function syncStep(li) {
    var type = li.querySelector('[data-step-type]').value;
    li.querySelectorAll('[data-for]').forEach(function (f) {
      var on = f.dataset.for.split(' ').indexOf(type) >= 0;
      f.hidden = !on;
      f.querySelectorAll('input, select').forEach(function (el) { el.disabled = !on; });
    });
  }
  function addStep(form, data) {
    var rows = stepRows(form), tpl = form.querySelector('[data-step-template]');
    var i = rows.children.length;
    var html = tpl.innerHTML.replace(/__i__/g, String(i));
    rows.insertAdjacentHTML('beforeend', html);
    var li = rows.lastElementChild;
    if (data) {
      li.querySelectorAll('[name]').forEach(function (el) {
        var path = parsePath(el.name).slice(2);
        var v = getPath(data, path);
        if (v !== undefined && v !== null) el.value = String(v);
      });
    }
    syncStep(li);
    return li;
  }
  function syncWrapUp(form) {
    var mode = form.querySelector('[data-toggle-wrap-up]');
    if (!mode) return;
    var box = form.querySelector('[data-wrap-up-seconds]');
    var manual = mode.value === 'manual';
    box.hidden = manual;
    box.querySelector('input').disabled = manual;
  }

  function skillInputs(form) { return form.querySelectorAll('[data-skill]'); }
  function skillsOf(form) {
    var out = [];
    skillInputs(form).forEach(function (el) {
      if (el.value.trim() !== '') out.push({ skill_id: Number(el.dataset.skill), proficiency: Number(el.value) });
    });
    return out;
  }

  function flash(key) {
    try { sessionStorage.setItem('hotline-flash', key); } catch (e) { /* private mode */ }
    location.reload();
  }

  function openForm(button) {
    var kind = button.dataset.open;
    var dialog = document.getElementById('dialog-' + kind);
    var form = dialog.querySelector('form');
    form.reset();
    clearErrors(form);
    var id = button.dataset.id || '';
    form.dataset.id = id;
    dialog.querySelector('[data-dialog-title]').textContent = button.dataset.title;
    var data = button.dataset.json ? JSON.parse(button.dataset.json) : null;
    var rows = stepRows(form);
    if (rows) rows.innerHTML = '';
    if (kind === 'person') {
      var hint = form.querySelector('#p-password-hint');
      if (hint) hint.textContent = id ? hint.dataset.hintEdit : hint.dataset.hintNew;
      if (data) {
        fill(form, data.person);
        var levels = {};
        data.skills.forEach(function (s) { levels[s.skill_id] = s.proficiency; });
        skillInputs(form).forEach(function (el) { el.value = levels[el.dataset.skill] || ''; });
      }
    } else if (data) {
      fill(form, data);
      if (kind === 'queue') (data.routing_steps || []).forEach(function (s) { addStep(form, s); });
    }
    syncWrapUp(form);
    dialog.showModal();
    var first = form.querySelector('input:not([type=hidden]):not([disabled]), select, textarea');
    if (first) first.focus();
  }

  function submitForm(form) {
    var kind = form.dataset.apiForm, id = form.dataset.id;
    var body = serialize(form);
    clearErrors(form);
    var submit = form.querySelector('[type=submit]');
    submit.disabled = true;
    var done = function () { submit.disabled = false; };
    var work;
    if (kind === 'person') {
      var skills = skillsOf(form);
      var resolveSkill = function (field) {
        var m = /^(?:skills)?\[(\d+)\]/.exec(field);
        if (!m || !skills[Number(m[1])]) return null;
        return form.querySelector('[data-skill="' + skills[Number(m[1])].skill_id + '"]');
      };
      if (!id) {
        body.skills = skills;
        work = api('POST', '/api/v1/people', body).catch(function (p) { return Promise.reject([p, resolveSkill]); });
      } else {
        var password = body.password;
        delete body.password;
        work = api('PUT', '/api/v1/people/' + id, body)
          .catch(function (p) { return Promise.reject([p, null]); })
          .then(function () {
            return api('PUT', '/api/v1/people/' + id + '/skills', skills)
              .catch(function (p) { return Promise.reject([p, resolveSkill]); });
          })
          .then(function () {
            if (!password) return null;
            return api('PUT', '/api/v1/people/' + id + '/password', { password: password })
              .catch(function (p) {
                return Promise.reject([p, function () { return form.querySelector('[name=password]'); }]);
              });
          });
      }
    } else {
      var base = { team: '/api/v1/teams', skill: '/api/v1/skills', queue: '/api/v1/queues' }[kind];
      if (kind === 'queue' && !body.routing_steps) body.routing_steps = [];
      work = api(id ? 'PUT' : 'POST', id ? base + '/' + id : base, body)
        .catch(function (p) { return Promise.reject([p, null]); });
    }
    work.then(function () { flash('saved'); })
      .catch(function (e) {
        done();
        var problem = Array.isArray(e) ? e[0] : e, resolve = Array.isArray(e) ? e[1] : null;
        showProblem(form, problem, resolve);
      });
  }

  function admin(root) {
    var note = document.getElementById('flash');
    var key = null;
    try { key = sessionStorage.getItem('hotline-flash'); sessionStorage.removeItem('hotline-flash'); } catch (e) { /* ignore */ }
    if (key && note) { note.textContent = note.dataset[key] || ''; note.hidden = false; }

    root.addEventListener('click', function (ev) {
      var open = ev.target.closest('[data-open]');
      if (open) { openForm(open); return; }
      var del = ev.target.closest('[data-delete]');
      if (del) {
        var question = root.dataset.confirmDelete.replace('{name}', del.dataset.name);
        if (!window.confirm(question)) return;
        api('DELETE', del.dataset.delete).then(function () { flash('deleted'); }).catch(function (p) {
          if (note) { note.textContent = root.dataset.textProblem + ' ' + ((p && p.detail) || p); note.hidden = false; note.classList.add('error-box'); }
        });
        return;
      }
      if (ev.target.closest('[data-close]')) { ev.target.closest('dialog').close(); return; }
      var add = ev.target.closest('[data-add-step]');
      if (add) { var li = addStep(add.closest('form')); li.querySelector('input').focus(); return; }
      var rm = ev.target.closest('[data-remove-step]');
      if (rm) { var form = rm.closest('form'); rm.closest('li').remove(); renumberSteps(form); }
    });
    root.addEventListener('change', function (ev) {
      if (ev.target.matches('[data-step-type]')) syncStep(ev.target.closest('li'));
      if (ev.target.matches('[data-toggle-wrap-up]')) syncWrapUp(ev.target.closest('form'));
    });
    root.querySelectorAll('form[data-api-form]').forEach(function (form) {
      form.addEventListener('submit', function (ev) { ev.preventDefault(); submitForm(form); });
    });
    var search = document.querySelector('[data-filter-rows]');
    if (search) {
      search.addEventListener('input', function () {
        var q = search.value.trim().toLowerCase();
        document.querySelectorAll(search.dataset.filterRows).forEach(function (tr) {
          tr.hidden = q !== '' && (tr.dataset.search || '').indexOf(q) < 0;
        });
      });
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    stampTicks(document);
    setInterval(tick, 1000);
    var board = document.querySelector('[data-live-board]');
    if (board) follow(board, 1000);
    var desk = document.querySelector('[data-live-desk]');
    if (desk) desktop(desk);
    var adminRoot = document.getElementById('admin');
    if (adminRoot) admin(adminRoot);
  });
})();
