// The JSON-schema validators the build compiles (scripts/compile-validators.mjs), from the packages' built modules:
// each module states its own source (schemas, ajv options, exports and where the code goes).
import { helmValuesValidatorSource, vendoredValuesSchemaCharts } from '../packages/core/dist/addons/helm-values.js';
import { awsRequestValidatorSources } from '../packages/core/dist/validation/aws/request-documents.js';
import { CRD_MODEL_FILES, crdModelValidatorSource } from '../packages/core/dist/validation/schema/crd-model.js';
import { eksNodeClassValidatorSource } from '../packages/core/dist/validation/schema/eks-node-class-model.js';
import { ENVIRONMENT_VALIDATOR } from '../packages/charts/dist/environment/validate-environment.js';

/** Every source, in a fixed order. */
export function validatorSources() {
  return [
    ENVIRONMENT_VALIDATOR,
    ...vendoredValuesSchemaCharts().map(helmValuesValidatorSource),
    ...Object.values(awsRequestValidatorSources()),
    eksNodeClassValidatorSource(),
    ...CRD_MODEL_FILES.map(crdModelValidatorSource),
  ];
}
