import path from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { defineConfig, type Plugin } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Compile TypeScript with tsc's own transpiler instead of esbuild. esbuild ignores
 * `emitDecoratorMetadata`, and fabric-contract-api's @Transaction reads the emitted `design:paramtypes`
 * to learn each transaction's parameters; with tsc the contract under test is compiled exactly as in
 * the build (only the module format differs).
 */
function tscTransform(): Plugin {
  const configFile = ts.readConfigFile(path.join(here, 'tsconfig.build.json'), (f) => ts.sys.readFile(f));
  if (configFile.error) {
    throw new Error(ts.flattenDiagnosticMessageText(configFile.error.messageText, '\n'));
  }
  const { options } = ts.parseJsonConfigFileContent(configFile.config, ts.sys, here);
  const compilerOptions: ts.CompilerOptions = {
    ...options,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    declaration: false,
    sourceMap: true,
    inlineSourceMap: false,
    inlineSources: true,
  };
  return {
    name: 'mycc-tsc-transform',
    enforce: 'pre',
    transform(code, id) {
      const file = id.split('?')[0] ?? id;
      if (!file.endsWith('.ts') || file.includes('/node_modules/')) {
        return null;
      }
      const out = ts.transpileModule(code, { fileName: file, compilerOptions });
      return {
        code: out.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ''),
        map: out.sourceMapText ?? null,
      };
    },
  };
}

export default defineConfig({
  esbuild: false,
  plugins: [tscTransform()],
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // fabric-contract-api and fabric-shim log every decorator and transaction at info level.
    env: { CORE_CHAINCODE_LOGGING_LEVEL: 'CRITICAL' },
  },
});
