/**
 * Starts the replica, runs the demo's story on it, and stops every server
 * whatever happens: at the end, on an error, or on Ctrl-C / SIGTERM (then
 * the process exits 130 / 143 once the servers are closed and the
 * replica's folder, client secrets included, is removed).
 */
import { runReplicaDemo, type ReplicaDemoResult } from './run_replica_demo.ts';
import { ReplicaUnavailableError, type ProviderConstructor } from './replica_provider.ts';
import { startReplica, type Replica } from './start_replica.ts';

export interface RunReplicaOptions {
  examplesDir: string;
  write: (text: string) => void;
  loadProvider?: () => Promise<ProviderConstructor>;
  color?: boolean;
}

const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

/** The demo's result, or undefined when oidc-provider is not installed (nothing was started). */
export async function runReplica(options: RunReplicaOptions): Promise<ReplicaDemoResult | undefined> {
  let replica: Replica;
  try {
    replica = await startReplica({
      examplesDir: options.examplesDir,
      ...(options.loadProvider ? { loadProvider: options.loadProvider } : {}),
    });
  } catch (e) {
    if (e instanceof ReplicaUnavailableError) return undefined;
    throw e;
  }
  const onSignal = (signal: NodeJS.Signals) => {
    void replica.close().finally(() => process.exit(SIGNAL_EXIT[signal] ?? 1));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await runReplicaDemo(replica, options.write, { color: options.color ?? false });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await replica.close();
  }
}
