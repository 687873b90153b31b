// fabric-shim 2.5.8 ships no types for its contract dispatcher; only what the tests call is declared.
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract.js' {
  interface ChaincodeResponse {
    status: number;
    message?: string;
    payload?: Uint8Array;
  }
  export default class ChaincodeFromContract {
    constructor(
      contractClasses: unknown[],
      serializers: { transaction: string; serializers: Record<string, unknown> },
      metadata: object,
      title: string,
      version: string,
    );
    defaultContractName: string;
    Init(stub: unknown): Promise<ChaincodeResponse>;
    Invoke(stub: unknown): Promise<ChaincodeResponse>;
  }
}
