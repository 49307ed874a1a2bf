import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { ActivityFailureVocabulary } from '../activities/failures.js';
import { createActivities, type ActivityDeps } from '../activities/index.js';
import { cashApplicationTaskQueue } from './workflow-ids.js';

/** The workflow sources (tsx / tests) or the compiled bundle entry (dist). */
export const workflowsPath = (() => {
  const ts = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));
  return existsSync(ts) ? ts : fileURLToPath(new URL('../workflows/index.js', import.meta.url));
})();

/** Below the start-to-close timeout of the engine's activities (workflows/activities.ts), so a drain ends. */
const ACTIVITY_SHUTDOWN_GRACE = '20 seconds';

/** The engine's workers: one on its task queue, one on the cash-application queue, run and stopped together. */
export interface Workers {
  run(): Promise<void>;
  shutdown(): void;
  isRunning(): boolean;
}

export async function createWorkers(options: {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** A prebuilt bundle (tests bundle once for all workers); otherwise the worker bundles workflowsPath. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<Workers> {
  const activities = createActivities(options.deps);
  const workers = await Promise.all(
    [options.taskQueue, cashApplicationTaskQueue(options.taskQueue)].map((taskQueue) =>
      Worker.create({
        connection: options.connection,
        namespace: options.namespace,
        taskQueue,
        activities,
        interceptors: { activity: [() => ({ inbound: new ActivityFailureVocabulary() })] },
        // A stopping worker lets a running activity (a letter half-sent, a statement half-applied) finish instead
        // of abandoning it to its start-to-close timeout, after which a later run may already have moved on.
        shutdownGraceTime: ACTIVITY_SHUTDOWN_GRACE,
        ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath }),
      }),
    ),
  );
  const running = () => workers.filter((w) => w.getState() === 'RUNNING');
  return {
    // Worker.run() drains in-flight tasks on SIGINT/SIGTERM (the SDK installs those handlers); if one worker
    // fails, the other is stopped too.
    async run() {
      await Promise.all(
        workers.map((w) =>
          w.run().catch((err: unknown) => {
            for (const other of running()) other.shutdown();
            throw err;
          }),
        ),
      );
    },
    shutdown: () => running().forEach((w) => w.shutdown()),
    isRunning: () => running().length > 0,
  };
}
