import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions, type Env } from '../config.js';

export async function connectClient(env: Env): Promise<Client> {
  const connection = await Connection.connect(temporalConnectionOptions(env));
  return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE });
}

export async function connectWorker(env: Env): Promise<NativeConnection> {
  return NativeConnection.connect(temporalConnectionOptions(env));
}
