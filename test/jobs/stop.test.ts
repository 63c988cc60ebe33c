// `initsock job stop` without an init system: the runner, a child subreaper, ends the whole tree, setsid grandchild included.
import { test } from 'node:test';
import { processDriver } from './driver.js';
import { alive, stopScenario } from './scenario.js';

test('stop kills a job that ignores SIGTERM and its setsid grandchild, and drops the follow-up (process mode)', {
  timeout: 60_000,
}, async () => {
  await stopScenario(processDriver('jobs-stop'), 'stubborn', async (pid) => alive(pid));
});
