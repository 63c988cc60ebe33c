// The systemd test box: a real, isolated systemd --system with a real systemd --user inside it, for integration tests.
/*
 * SAFETY. systemd's tmpfiles setup wipes the host's /tmp. boot.sh therefore never execs systemd before it has
 * mounted tmpfs over /tmp, /run, /var/tmp and /var/log in a private mount namespace, and PID 1 only ever sees
 * SYSTEMD_UNIT_PATH=<box>/system (stub targets, nothing else); the user manager sees only
 * SYSTEMD_UNIT_PATH=$HOME/.config/systemd/user:<box>/user. Do not boot systemd any other way.
 *
 * How it boots (about 0.2-0.7 s): a fresh cgroup2 folder of its own on the host; then
 * `setpriv --pdeathsig KILL unshare --pid --fork --kill-child --mount --uts --ipc --net --cgroup --mount-proc`
 * into boot.sh, which does `mount --make-rprivate /`, the tmpfs mounts, a fresh cgroup2 on /sys/fs/cgroup,
 * a file bind-mounted over /dev/console, `ip link set lo up`, then execs `systemd --system`. Once
 * `systemctl is-system-running --wait` says running, `systemd-run --unit=user-manager -p Type=notify
 * -p Delegate=yes ... systemd --user` starts the user manager (no D-Bus needed: systemctl --user talks to
 * $XDG_RUNTIME_DIR/systemd/private), then `systemctl --user is-system-running --wait` is polled.
 * A journald runs in the box (volatile): services log as on a real machine; `journalctl -u` works inside it.
 *
 * cgroups: 'hybrid' mounts cgroup2 plus only the v1 pids and name=systemd hierarchies (per-box folders again);
 * every other v1 controller gets an empty read-only tmpfs, so systemd never touches the host's memory/cpu trees.
 * Debugging: INITSOCK_KEEP_BOX=1 keeps the box folder; INITSOCK_BOX_LOG_LEVEL=debug makes PID 1 verbose.
 *
 * Cleanup: box.stop() SIGKILLs PID 1 (the kernel kills the whole PID namespace and its mounts go with it),
 * waits for that, removes the cgroups and the box folder (kept when INITSOCK_KEEP_BOX is set). A test
 * process that exits without stop() kills PID 1 from an 'exit' handler; one that is SIGKILLed takes the
 * box with it through pdeathsig; stale cgroups are swept by the next boot.
 *
 * API (import from 'test/integration/box/index.js', compiled to dist/test/integration/box/index.js):
 *   bootBox({ home?, timeoutMs?, cgroups? }): Promise<Box> boot one; rejects (with logs) when it cannot.
 *                                                        cgroups: 'unified' (default) | 'hybrid' (cgroup2 + v1 pids)
 *   pidsCgroupMode(): 'unified' | 'hybrid' | null        the mode that gives the box a pids controller (TasksMax=)
 *   useBox({ home?, timeoutMs?, cgroups? }): { get(t) }           node:test hooks: one box per file, t.skip(reason) where
 *                                                        boxes cannot run (not root, no unshare...)
 *   boxUnavailable(): string | null                     why a box cannot run here
 *   Box
 *     .pid                                               PID 1 of the box, as seen from the host
 *     .home, .layout { dir, home, userConfigUnits, systemUnits, userUnits, consoleLog, userLog }, .cgroupDirs
 *     .userEnv                                           { XDG_RUNTIME_DIR: '/run/user/0', HOME }
 *     .exec(argv, { env?, input?, timeoutMs? })          nsenter -t PID -a; resolves { argv, code, stdout, stderr }
 *                                                        (env is merged over a minimal PATH env, not the host's)
 *     .spawn(argv, { env? }): ChildProcess               long-running clients; end them via stdin (nsenter
 *                                                        does not forward signals); stop() kills what is left
 *     .systemctl(...args), .systemctlUser(...args)       against the system / user manager
 *     .logs(lines = 40): string                          tail of the box journal (sync), for failure messages
 *     .stop(): Promise<void>                             idempotent
 *   writeUserUnit(box, fileName, content): Promise<path> into ~/.config/systemd/user, then daemon-reload
 *   removeUserUnit(box, fileName), daemonReload(box), unitProps(box, unit, ...props): Record<string,string>
 *   execLine(argv), quoteExecArg(arg)                   ExecStart= quoting (%→%%, $→$$)
 *   runNode(box, script, args?, opts?)                  node (this node binary) inside the box
 *   runNodeScript(box, source, args?, opts?)            write an ES module into the box folder and run it
 *   runNodeJson<T>(box, script, args?, opts?)           runNode, then JSON.parse(stdout)
 *   freeBoxPort(box): Promise<number>                   a free loopback port inside the box
 *   boxFixture(name): string                            dist path of test/fixtures/box/<name>(.ts → .js)
 *   pollUntil(what, check, { timeoutMs?, intervalMs? }) poll an external state with a deadline
 *   installWorker(box, { name, ...ServiceConfig }): Promise<InstalledWorker>
 *                                                        units rendered by src/service/systemd/units.ts (node + built worker,
 *                                                        free port), written, daemon-reload, socket started
 *   unitState(box, unit, ...more), workerBuilt()        ActiveState/SubState/Result; is dist/src/bin/worker.js built
 *   getJson(box, port, path), tryGetJson(...), replyPid(reply)  one GET on a fresh connection from inside the box
 *   startLoadStream(box, port, path?, concurrency?): { stop(): Promise<LoadSummary> }  requests until stop()
 *
 * Example:
 *   const boxes = useBox();
 *   test('activates', async (t) => {
 *     const box = boxes.get(t); if (!box) return;
 *     await writeUserUnit(box, 'w.socket', '[Socket]\nListenStream=127.0.0.1:40000\n');
 *     await writeUserUnit(box, 'w.service', `[Service]\nExecStart=${execLine([process.execPath, workerBin])}\n`);
 *     await box.systemctlUser('start', 'w.socket');
 *   });
 */
export { bootBox, type BootOptions } from './boot.js';
export { Box, USER_RUNTIME_DIR } from './box.js';
export { useBox, type BoxHandle } from './hooks.js';
export { boxUnavailable } from './skip.js';
export { pidsCgroupMode, type CgroupMode } from './cgroup.js';
export { writeUserUnit, removeUserUnit, daemonReload, unitProps, execLine, quoteExecArg } from './units.js';
export { runNode, runNodeScript, runNodeJson, freeBoxPort, boxFixture } from './client.js';
export { pollUntil } from './wait.js';
export { installWorker, removeWorker, unitState, workerBuilt, workerConfig, type InstalledWorker } from './worker.js';
export { getJson, tryGetJson, replyPid, type JsonReply } from './http.js';
export { startLoadStream, type LoadStream } from './stream.js';
export type { BoxExecOptions } from './nsexec.js';
export type { BoxLayout } from './layout.js';
