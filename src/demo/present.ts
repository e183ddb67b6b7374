import type { Replica } from './start_replica.ts';

/**
 * How the demo shows the replica's addresses: the servers listen on free
 * ports and the contract lives in a fresh temporary folder, so their
 * values change on every run; the output names them as shell variables
 * ($OP, $API, $GATEWAY, $REPLICA), so it reads the same on every run and
 * README can show it (scripts/docs.ts).
 */
export function presenter(replica: Pick<Replica, 'dir' | 'origins'>): (text: string) => string {
  const names: [string, string][] = [
    [replica.origins.provider, '$OP'],
    [replica.origins.api, '$API'],
    [replica.origins.gateway, '$GATEWAY'],
    [replica.dir, '$REPLICA'],
  ];
  return (text) => names.reduce((t, [value, name]) => t.split(value).join(name), text);
}
