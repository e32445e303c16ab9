// Cairn's progressive enhancement: pages work without it.
document.addEventListener('click', function (e) {
  var b = e.target.closest && e.target.closest('button.copy');
  if (!b) return;
  navigator.clipboard.writeText(b.dataset.copy).then(function () { b.textContent = 'Copied'; });
});

// On a phone the table page's filters start folded away, a tap from the rows (open without script).
(function () {
  var drawer = document.getElementById('filters');
  if (drawer && window.matchMedia && window.matchMedia('(max-width: 48rem)').matches) drawer.removeAttribute('open');
})();

// The page-size choice applies at once.
(function () {
  var size = document.getElementById('size');
  if (size) size.addEventListener('change', function () { size.form.submit(); });
})();

// Entry forms: a foreign key to a large table suggests the rows whose name holds what is typed
// (ERMrest's own read, as the visitor); without the script the server resolves the typed name.
(function () {
  function ermrest(text) {
    return encodeURIComponent(text).replace(/[!'()*~]/g, function (c) { return '%' + c.charCodeAt(0).toString(16).toUpperCase(); });
  }
  Array.prototype.forEach.call(document.querySelectorAll('input[data-search]'), function (input) {
    var list = document.getElementById(input.getAttribute('list'));
    var name = input.dataset.name;
    var timer = null;
    input.addEventListener('input', function () {
      clearTimeout(timer);
      var typed = input.value.trim();
      if (!typed) return;
      timer = setTimeout(function () {
        var regex = typed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        fetch(input.dataset.search + ermrest(regex) + '/' + ermrest(name) + '@sort(' + ermrest(name) + ')?limit=20',
              {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
          .then(function (r) { return r.ok ? r.json() : []; })
          .then(function (rows) {
            list.innerHTML = '';
            rows.forEach(function (row) {
              var o = document.createElement('option');
              o.value = row[name];
              list.appendChild(o);
            });
          });
      }, 250);
    });
  });
})();

// Execution page: stage files with an upload progress bar, commit, and follow the commit live.
(function () {
  var form = document.getElementById('stage-form');
  if (form) {
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var files = Array.prototype.slice.call(document.getElementById('stage-file').files);
      var table = document.getElementById('stage-table').value;
      var description = document.getElementById('stage-description').value;
      var bar = document.getElementById('upload-progress');
      var status = document.getElementById('upload-status');
      var total = files.reduce(function (n, f) { return n + f.size; }, 0) || 1;
      var done = 0;
      bar.hidden = false; bar.max = total; bar.value = 0;
      function next(i) {
        if (i >= files.length) { status.textContent = 'Uploaded ' + files.length + ' file(s).'; location.reload(); return; }
        var f = files[i];
        var xhr = new XMLHttpRequest();
        var url = form.dataset.api + '/outputs/' + encodeURIComponent(table) + '/' + encodeURIComponent(f.name)
          + (description ? '?description=' + encodeURIComponent(description) : '');
        xhr.open('PUT', url);
        xhr.setRequestHeader('Content-Type', 'application/octet-stream');
        xhr.upload.onprogress = function (ev) { bar.value = done + ev.loaded; status.textContent = 'Uploading ' + f.name + '…'; };
        xhr.onload = function () {
          if (xhr.status >= 300) {
            var detail = xhr.statusText;
            try { detail = JSON.parse(xhr.responseText).detail; } catch (ignored) {}
            status.textContent = f.name + ': ' + detail; return;
          }
          done += f.size; bar.value = done; next(i + 1);
        };
        xhr.onerror = function () { status.textContent = f.name + ': the upload failed.'; };
        xhr.send(f);
      }
      next(0);
    });
  }
  var commit = document.getElementById('commit-form');
  var card = document.getElementById('commit-card');
  function follow() {
    fetch(card.dataset.api, {headers: {'Accept': 'application/json'}}).then(function (r) { return r.json(); }).then(function (x) {
      document.getElementById('status').textContent = x.Status;
      document.getElementById('status-detail').textContent = x.Status_Detail || '';
      var c = x.Commit;
      if (c) {
        var state = document.getElementById('commit-state');
        if (state) state.textContent = c.state;
        var files = document.getElementById('commit-files');
        if (files) files.textContent = c.filesDone + ' of ' + c.filesTotal;
        var bytes = document.getElementById('commit-bytes');
        if (bytes) bytes.textContent = c.bytesDone + ' of ' + c.bytesTotal;
        var p = document.getElementById('commit-progress');
        if (p) { p.max = c.bytesTotal || 1; p.value = c.bytesDone; }
      }
      if (x.Status === 'Pending_Upload') { setTimeout(follow, 700); } else if (commit && x.Status === 'Uploaded') { location.reload(); }
    });
  }
  if (commit) {
    commit.addEventListener('submit', function (e) {
      e.preventDefault();
      document.getElementById('commit').disabled = true;
      fetch(commit.action, {method: 'POST'}).then(function (r) {
        if (r.status >= 300) { return r.json().then(function (p) { alert(p.detail); document.getElementById('commit').disabled = false; }); }
        follow();
      });
    });
  }
  if (card && document.getElementById('status') && document.getElementById('status').textContent === 'Pending_Upload') follow();
})();
