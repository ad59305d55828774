// Slipway's web console: job-submission's REST API as the signed-in tenant; the log-metric-indexer's search and
// server-sent-event streams and the resource-scheduler's decisions, read with the selected cluster's reader token
// (job-submission shows it to the cluster's tenant; they answer this page through CORS). No build step.
'use strict';

const TOKEN_KEY = 'slipway.tenantToken';
const REFRESH_MS = 5000;
const $ = (id) => document.getElementById(id);

const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  indexerUrl: null,
  schedulerUrl: null,
  clusterId: null,
  readerToken: null,
  events: null,
  logStream: null,
  logCursor: null,
  refreshTimer: null,
  reloadTimer: null,
  decided: false,
  userProblem: false,
  jobMetrics: new Map(),
};

/** One element with text (never HTML: everything shown comes from users, pods and logs). */
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function row(cells, className) {
  const tr = el('tr', null, className);
  for (const cell of cells) {
    const td = el('td');
    if (cell instanceof Node) td.append(cell); else if (cell !== undefined && cell !== null) td.textContent = String(cell);
    tr.append(td);
  }
  return tr;
}

function status(text) {
  return el('span', text, 'status-' + text);
}

/**
 * Shows (or clears) the problem line. What a user's own action reported stays until their next action: the
 * background refresh clears only what it reported itself.
 */
function showProblem(message, fromUser = false) {
  if (!message && state.userProblem && !fromUser) return;
  state.userProblem = fromUser && !!message;
  $('problem').textContent = message;
  $('problem').hidden = !message;
}

/** problem+json says what is wrong and which field; the console shows both. */
async function problemOf(response) {
  try {
    const problem = await response.json();
    const fields = (problem.errors || []).map((error) => `${error.field}: ${error.message}`).join('; ');
    return `${response.status} ${problem.title || ''}${problem.detail ? ': ' + problem.detail : ''}${fields ? ' (' + fields + ')' : ''}`;
  } catch (e) {
    return `${response.status} ${response.statusText}`;
  }
}

// Every request names its API by the helper it goes through (api, tokenless, indexer, scheduler, follow), with its path and
// its query as an object: the contract test (job-submission's ConsoleScriptContractTest) reads them from here and matches
// them, and the fields read from each answer, with contracts/src/test/resources/console-contract/.

/** The address of a request: the path on the base URL ('' for this service), with the query's values that are set. */
function address(baseUrl, path, query = {}) {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, value);
  }
  const search = params.toString();
  return baseUrl + path + (search ? '?' + search : '');
}

/** A request to job-submission as the signed-in tenant; a body goes as JSON. */
async function api(method, path, query = {}, body = undefined) {
  const headers = { 'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(address('', path, query),
    { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401) {
    signOut();
    throw new Error('The token was not accepted: sign in with your tenant token (SLIPWAY_TENANT_TOKEN).');
  }
  if (!response.ok) throw new Error(await problemOf(response));
  return response.status === 204 ? null : response.json();
}

/** A GET of job-submission that needs no token: the console's settings, read before anyone signs in. */
function tokenless(path) {
  return fetch(address('', path)).then((response) => response.json());
}

/** A GET across origins (the indexer, the scheduler) with the selected cluster's reader token; its problem names it. */
async function read(service, baseUrl, path, query) {
  const response = await fetch(address(baseUrl, path, query),
    { headers: { 'Accept': 'application/json', 'Authorization': 'Bearer ' + state.readerToken } });
  if (!response.ok) throw new Error(service + ': ' + await problemOf(response));
  return response.json();
}

function indexer(path, query = {}) {
  return read('log-metric-indexer', state.indexerUrl, path, query);
}

function scheduler(path, query = {}) {
  return read('resource-scheduler', state.schedulerUrl, path, query);
}

/**
 * Follows a server-sent-event stream of the indexer with the selected cluster's reader token (EventSource sends no
 * headers: it goes as access_token); each event's data is one JSON object, handed to onEvent.
 */
function follow(path, query, onEvent) {
  const source = new EventSource(address(state.indexerUrl, path, { ...query, access_token: state.readerToken }));
  source.onmessage = (message) => onEvent(JSON.parse(message.data));
  return source;
}

function when(instant) {
  return instant ? new Date(instant).toLocaleTimeString() : '';
}

async function loadClusters() {
  const clusters = await api('GET', '/api/v1/clusters');
  const body = $('clusters').tBodies[0];
  body.replaceChildren(...clusters.map((c) => {
    const tr = row([c.name, c.id, c.spec && c.spec.mode, status(c.status), c.statusReason],
      c.id === state.clusterId ? 'selected' : '');
    tr.addEventListener('click', () => selectCluster(c.id).catch((e) => showProblem(e.message)));
    return tr;
  }));
  $('clusters-updated').textContent = clusters.length === 0
    ? 'none yet: ./slipway clusters create <name>' : 'updated ' + new Date().toLocaleTimeString();
}

async function loadCluster() {
  const id = state.clusterId;
  const [cluster, jobs] = await Promise.all([
    api('GET', `/api/v1/clusters/${encodeURIComponent(id)}`),
    api('GET', '/api/v1/jobs', { clusterId: id }),
  ]);
  if (id !== state.clusterId) return; // another cluster was selected meanwhile
  state.readerToken = cluster.readerToken;
  $('cluster-name').textContent = `${cluster.name} (${cluster.id})`;
  $('cluster-status').replaceChildren(status(cluster.status), document.createTextNode(' ' + (cluster.statusReason || '')));
  $('pods').tBodies[0].replaceChildren(...(cluster.pods || []).map((p) =>
    row([p.name, p.role, status(p.phase), p.nodeName, p.address, p.reason])));
  $('jobs').tBodies[0].replaceChildren(...jobs.map((j) => {
    const figures = state.jobMetrics.get(j.flinkJobId) || {};
    const out = el('span', figures.out ?? '–', 'records-out');
    const checkpoint = el('span', figures.checkpoint ?? '–', 'last-checkpoint');
    if (j.flinkJobId) loadJobMetrics(j.flinkJobId, out, checkpoint);
    // Why it is in its status when the platform knows more (a JobManager being replaced, what a recovery started from).
    const shown = status(j.status);
    const why = j.statusReason || (j.failureCause ? j.failureCause.split('\n')[0] : '');
    if (why) shown.title = why;
    return row([j.name, j.kind, `${j.version} of ${j.latestVersion}`, shown, j.operation || '', out, checkpoint,
      j.latestSavepoint || '', actions(j)]);
  }));
}

/** The newest bucket of each series of a metric of the job (one per task, subtask or TaskManager), last hour: its avg and max. */
async function latestPoints(name, flinkJobId) {
  const answer = await indexer('/api/v1/metrics', { name, clusterId: state.clusterId, job: flinkJobId, step: '1m' });
  return answer.series.filter((series) => series.points.length > 0).map((series) => {
    const point = series.points[series.points.length - 1];
    return { avg: point.avg, max: point.max };
  });
}

/**
 * The job's throughput (records out per second of its busiest task or operator, newest reports) and its last
 * checkpoint's duration, from the metric reporter in its pods through the indexer; kept per job so a refresh shows them at once.
 */
async function loadJobMetrics(flinkJobId, outCell, checkpointCell) {
  try {
    const [out, checkpoints] = await Promise.all([latestPoints('numRecordsOutPerSecond', flinkJobId),
      latestPoints('lastCheckpointDuration', flinkJobId)]);
    const figures = {
      out: out.length ? Math.round(Math.max(...out.map((point) => point.avg))).toLocaleString() : '–',
      checkpoint: checkpoints.length ? Math.max(...checkpoints.map((point) => point.max)) + ' ms' : '–',
    };
    state.jobMetrics.set(flinkJobId, figures);
    outCell.textContent = figures.out;
    checkpointCell.textContent = figures.checkpoint;
  } catch (e) {
    outCell.title = e.message; // metrics are an extra: the job's row stands without them
  }
}

/** A button's label where it differs from the action's path. */
const ACTION_LABELS = { savepoints: 'savepoint' };

/**
 * The actions a job takes without a body, those its status allows as the API lists them (it says why when it still
 * refuses); each answers at once and shows as "in progress".
 */
function actions(job) {
  const span = el('span');
  for (const path of job.actions || []) {
    const label = ACTION_LABELS[path] || path;
    const button = el('button', label);
    button.type = 'button';
    button.addEventListener('click', async () => {
      try {
        await api('POST', `/api/v1/jobs/${encodeURIComponent(job.id)}/${path}`);
        showProblem('', true);
        await loadCluster();
      } catch (e) {
        showProblem(`${label} ${job.name}: ${e.message}`, true);
      }
    });
    span.append(button);
  }
  return span;
}

/** The scheduler's last decisions for the cluster, each with its reason: why pods came and went. */
async function loadDecisions() {
  const decisions = await scheduler(`/api/v1/clusters/${encodeURIComponent(state.clusterId)}/decisions`, { limit: 20 });
  $('decisions').replaceChildren(...decisions.map((d) =>
    el('li', `${when(d.occurredAt)} ${d.type}${d.podName ? ' ' + d.podName : ''}: ${d.reason}`)));
  if (decisions.length === 0) $('decisions').append(el('li', 'none yet'));
}

function describe(event) {
  const e = event.event || {};
  // A job's status change says its status, and why when the platform knows (RECOVERING, a recovery's checkpoint).
  const what = e.status && e.reason ? `${e.status} (${e.reason})` : e.reason || e.status || e.message || '';
  return `${when(event.occurredAt)} ${event.type.replace(/^dev\.slipway\./, '')}${e.podName ? ' ' + e.podName : ''}${what ? ': ' + what : ''}`;
}

/** A burst of events (a job's TaskManagers arriving) reloads the cluster once, not once per event. */
function reloadClusterSoon(decided) {
  state.decided = state.decided || decided;
  if (state.reloadTimer) return;
  state.reloadTimer = setTimeout(() => {
    state.reloadTimer = null;
    const withDecisions = state.decided;
    state.decided = false;
    if (!state.clusterId) return;
    loadCluster().catch((e) => showProblem(e.message));
    if (withDecisions) loadDecisions().catch((e) => showProblem(e.message));
  }, 300);
}

function followEvents() {
  if (state.events) state.events.close();
  $('events').replaceChildren();
  state.events = follow(`/api/v1/clusters/${encodeURIComponent(state.clusterId)}/events`, {}, (event) => {
    const list = $('events');
    list.prepend(el('li', describe(event)));
    while (list.children.length > 200) list.lastChild.remove();
    reloadClusterSoon(event.topic === 'slipway.decisions.v1');
  });
  $('events-state').textContent = 'connecting';
  state.events.onerror = () => {
    $('events-state').textContent = 'reconnecting';
    showProblem(`Live events: the log-metric-indexer at ${state.indexerUrl} does not answer; retrying.`);
  };
  state.events.onopen = () => {
    $('events-state').textContent = 'live';
    showProblem('');
  };
}

function logRow(r) {
  return row([when(r.occurredAt), el('span', r.level, 'level-' + r.level), r.podName, r.logger, r.message]);
}

async function searchLogs(more) {
  const page = await indexer('/api/v1/logs', {
    clusterId: state.clusterId, limit: 100, q: $('log-query').value.trim(), level: $('log-level').value,
    cursor: more ? state.logCursor : null,
  });
  const body = $('logs').tBodies[0];
  if (!more) body.replaceChildren();
  body.append(...page.records.map(logRow));
  state.logCursor = page.nextCursor;
  $('log-more').hidden = !page.nextCursor;
  $('log-counts').textContent = `${page.total} lines; ` + Object.entries(page.levels || {})
    .filter(([, count]) => count > 0).map(([level, count]) => `${level} ${count}`).join(', ');
}

/** Live tail: new lines at the chosen level or above go on top. */
function followLogs(on) {
  if (state.logStream) state.logStream.close();
  state.logStream = null;
  if (!on) return;
  const minimum = $('log-level').value.split(',')[0];
  state.logStream = follow('/api/v1/logs/stream', { clusterId: state.clusterId, level: minimum }, (record) => {
    const body = $('logs').tBodies[0];
    body.prepend(logRow(record));
    while (body.rows.length > 1000) body.lastChild.remove();
  });
}

/** Creates an ELASTIC cluster; the API's problem (a name taken, a quota reached) says which field and why. */
async function createCluster() {
  const body = {
    name: $('new-cluster-name').value.trim(),
    mode: 'ELASTIC',
    flinkVersion: $('new-cluster-version').value,
    elastic: { warmPool: Number($('new-cluster-warm-pool').value), maxTaskManagers: Number($('new-cluster-max').value) },
  };
  const cluster = await api('POST', '/api/v1/clusters', {}, body);
  $('new-cluster-name').value = '';
  await loadClusters();
  await selectCluster(cluster.id);
}

/** Submits the script as a SQL job of the selected cluster; a script the API refuses names its line. */
async function submitSql() {
  const body = { type: 'SQL', clusterId: state.clusterId, script: $('sql-job-script').value };
  if ($('sql-job-name').value.trim()) body.name = $('sql-job-name').value.trim();
  const dependencies = $('sql-job-dependencies').value.split('\n').map(line => line.trim()).filter(line => line);
  if (dependencies.length) body.dependencies = dependencies; // fetched by the platform before it answers
  await api('POST', '/api/v1/jobs', {}, body);
  $('sql-job-script').value = '';
  $('sql-job-name').value = '';
  $('sql-job-dependencies').value = '';
  await loadCluster();
}

async function selectCluster(id) {
  state.clusterId = id;
  state.readerToken = null;
  state.logCursor = null;
  $('cluster').hidden = false;
  for (const tr of $('clusters').tBodies[0].rows) tr.classList.toggle('selected', tr.cells[1].textContent === id);
  await loadCluster();
  if (state.clusterId !== id) return; // another cluster was picked meanwhile: its own selection goes on
  await loadDecisions();
  if (state.clusterId !== id) return;
  followEvents();
  $('log-follow').checked = false;
  followLogs(false);
  await searchLogs(false);
}

async function refresh() {
  try {
    await loadClusters();
    if (state.clusterId) await loadCluster();
    showProblem('');
  } catch (e) {
    showProblem(e.message);
  }
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  state.token = null;
  state.clusterId = null;
  if (state.events) state.events.close();
  followLogs(false);
  clearInterval(state.refreshTimer);
  $('signed-in').hidden = true;
  $('cluster').hidden = true;
  $('sign-out').hidden = true;
  $('token-label').hidden = false;
  $('sign-in-button').hidden = false;
}

async function signIn() {
  $('signed-in').hidden = false;
  $('sign-out').hidden = false;
  $('token-label').hidden = true;
  $('sign-in-button').hidden = true;
  await refresh();
  if (state.token) state.refreshTimer = setInterval(refresh, REFRESH_MS); // not when the token was refused
}

async function start() {
  const settings = await tokenless('/api/v1/console/settings');
  state.indexerUrl = settings.indexerUrl.replace(/\/$/, '');
  state.schedulerUrl = settings.schedulerUrl.replace(/\/$/, '');
  $('sign-in').addEventListener('submit', (event) => {
    event.preventDefault();
    state.token = $('token').value.trim();
    sessionStorage.setItem(TOKEN_KEY, state.token);
    $('token').value = '';
    signIn();
  });
  $('sign-out').addEventListener('click', signOut);
  $('new-cluster').addEventListener('submit', (event) => {
    event.preventDefault();
    createCluster().then(() => showProblem('', true)).catch((e) => showProblem('New cluster: ' + e.message, true));
  });
  $('new-sql-job').addEventListener('submit', (event) => {
    event.preventDefault();
    submitSql().then(() => showProblem('', true)).catch((e) => showProblem('SQL job: ' + e.message, true));
  });
  $('log-search').addEventListener('submit', (event) => {
    event.preventDefault();
    searchLogs(false).catch((e) => showProblem(e.message));
  });
  $('log-more').addEventListener('click', () => searchLogs(true).catch((e) => showProblem(e.message)));
  $('log-follow').addEventListener('change', () => followLogs($('log-follow').checked));
  if (state.token) await signIn();
}

start().catch((e) => showProblem('The console could not start: ' + e.message));
