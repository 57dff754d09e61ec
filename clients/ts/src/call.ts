// Calls one ApplicationService method with the generated client and prints the outcome as
// one JSON line: {"response": <proto JSON>} or {"error": {"code", "message", "details"}}.
// The end-to-end tests run it with tsx on Node to check the contract from TypeScript.
//
// usage: tsx src/call.ts <base-url> <connect-json|connect-binary|grpc-web|grpc> <Method> <request-json> [token]
import { fromJson, toJson, type JsonValue } from "@bufbuild/protobuf";
import { Code, ConnectError, createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import {
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { ApplicationService } from "../gen/otterscale/application/v1/application_pb";

function transportFor(kind: string, baseUrl: string, interceptors: Interceptor[]): Transport {
  switch (kind) {
    case "connect-json":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", interceptors });
    case "connect-binary":
      return createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true, interceptors });
    case "grpc-web":
      return createGrpcWebTransport({ baseUrl, httpVersion: "1.1", interceptors });
    case "grpc":
      return createGrpcTransport({ baseUrl, interceptors });
    default:
      throw new Error(`unknown transport ${kind}`);
  }
}

// Code.PermissionDenied -> "permission_denied", the Connect protocol's spelling.
function codeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toLowerCase();
}

async function main(): Promise<void> {
  const [baseUrl, kind, methodName, requestJson, token] = process.argv.slice(2);
  const methodKey = methodName.charAt(0).toLowerCase() + methodName.slice(1);
  const method = Object.values(ApplicationService.method).find((m) => m.localName === methodKey);
  if (method === undefined || method.methodKind !== "unary") {
    throw new Error(`no unary method ${methodName}`);
  }
  const interceptors: Interceptor[] = [];
  if (token) {
    interceptors.push((next) => async (req) => {
      req.header.set("authorization", `Bearer ${token}`);
      return next(req);
    });
  }
  const client = createClient(ApplicationService, transportFor(kind, baseUrl, interceptors));
  const request = fromJson(method.input, JSON.parse(requestJson) as JsonValue);
  const call = client[methodKey as keyof typeof client] as unknown as (req: unknown) => Promise<unknown>;
  try {
    const response = await call(request);
    console.log(JSON.stringify({ response: toJson(method.output, response as never) }));
  } catch (error) {
    const connectError = ConnectError.from(error);
    console.log(
      JSON.stringify({
        error: {
          code: codeName(connectError.code),
          message: connectError.rawMessage,
          details: connectError.details.map((detail) => ("desc" in detail ? detail.desc.typeName : detail.type)),
        },
      }),
    );
  }
}

await main();
