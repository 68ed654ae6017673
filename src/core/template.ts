// Templating's public face: EJS rendering (render.ts) and conditions (conditions.ts) under one import.
// Both of those import render.ts; neither imports this file, so there is no cycle.

export { renderString, renderTemplateText, renderValue, singleExpression, type ValueLocation } from './render.js';
export { evaluateCondition, evaluateConditions, type Condition } from './conditions.js';
export { hasTemplate, OPAQUE, isOpaque, RUNTIME_FALLBACK, TemplateError, type TemplateVars } from './template-scope.js';
