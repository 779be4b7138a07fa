/**
 * Serves a contract (the app contract, in main.ts) to a window's page over
 * its IPC transport, and starts afresh whenever the page changes (reload,
 * renderer crash): the streams the old page opened are cancelled, because no
 * client is left to cancel them, while the transport itself stays up for the
 * next page.
 */
import type { ContractDef } from '../shared/rpc/contractDef';
import { serveContract, type RpcServer, type ServiceHandlers } from '../shared/rpc/server';
import type { PageTransport } from './ipcTransport';

export interface PageRpcOptions<C extends ContractDef> {
  readonly transport: PageTransport;
  readonly contract: C;
  readonly services: ServiceHandlers<C>;
  readonly log: (line: string) => void;
}

/** Serves until the transport closes or `dispose` is called. */
export function servePageRpc<C extends ContractDef>(options: PageRpcOptions<C>): RpcServer {
  const { transport, contract, services, log } = options;
  const serve = (): RpcServer =>
    serveContract(contract, services, transport, { onRejected: (problem) => log(`ipc: rejected message: ${problem}`) });
  let server = serve();
  const offPage = transport.onPageChange((change) => {
    log(`ipc: page changed (${change}); cancelling the old page's streams`);
    server.dispose();
    server = serve();
  });
  const offClose = transport.onClose(() => dispose());

  function dispose(): void {
    offPage();
    offClose();
    server.dispose();
  }
  return { dispose };
}
