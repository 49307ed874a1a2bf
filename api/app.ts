import Fastify, { type FastifyServerOptions } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { auditRoutes } from './audit.js';
import { registerAuth } from './auth.js';
import { cashApplicationRoutes } from './cash-application.js';
import { collectionRoutes } from './collections.js';
import { consoleRoutes } from './console.js';
import { dunningPolicyRoutes } from './dunning-policies.js';
import { creditRoutes } from './credit-control.js';
import { customerRoutes } from './customers.js';
import type { ApiDeps } from './deps.js';
import { errorHandler } from './errors.js';
import { healthRoutes } from './health.js';
import { invoiceCorrectionRoutes } from './invoice-corrections.js';
import { invoiceDocumentRoutes } from './invoice-documents.js';
import { invoiceRoutes } from './invoices.js';
import { legalEntityRoutes } from './legal-entities.js';
import { orderRoutes } from './orders.js';
import { paymentRoutes } from './payments.js';
import { priceListRoutes } from './price-lists.js';
import { productRoutes } from './products.js';
import { reportRoutes } from './reports.js';
import { sessionRoutes } from './session.js';
import { shipmentRoutes } from './shipments.js';
import { stockRoutes } from './stock.js';
import { warehouseRoutes } from './warehouses.js';

export type { ApiDeps } from './deps.js';

export async function buildApp(deps: ApiDeps, options: FastifyServerOptions = {}) {
  const app = Fastify({
    logger: options.logger ?? false,
    // Keys and other secrets never reach the logs.
    ...options,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: { code: 'NOT_FOUND', message: `No route ${request.method} ${request.url}` } }),
  );

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Order-to-Cash engine API',
        version: '1.0.0',
        description: 'Money is integer minor units with an ISO 4217 currency.',
      },
      components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer' } } },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(cookie);
  registerAuth(app, deps.db);
  for (const routes of [
    healthRoutes,
    customerRoutes,
    creditRoutes,
    productRoutes,
    orderRoutes,
    shipmentRoutes,
    paymentRoutes,
    cashApplicationRoutes,
    invoiceRoutes,
    invoiceDocumentRoutes,
    invoiceCorrectionRoutes,
    collectionRoutes,
    dunningPolicyRoutes,
    warehouseRoutes,
    stockRoutes,
    priceListRoutes,
    legalEntityRoutes,
    reportRoutes,
    sessionRoutes,
    auditRoutes,
    consoleRoutes,
  ]) {
    await app.register(routes(deps));
  }
  return app;
}
