import { isLetterLanguage, type LetterLanguage } from './letters.js';

// Mails to the customer about its order, in its language. Plain text.
export type OrderNotificationKind = 'confirmed' | 'dispatched' | 'cancelled' | 'backordered';

export interface OrderNotificationInput {
  kind: OrderNotificationKind;
  language: string;
  customerName: string;
  /** The customer's own reference when it gave one, else our order id. */
  orderReference: string;
  expectedDispatchDate?: string;
  trackingNumber?: string;
  reason?: string;
  /** For `backordered`: what is missing, e.g. "3 x Spiral mixer 20 l". */
  backorderedItems?: string[];
}

const items = (i: OrderNotificationInput) => (i.backorderedItems ?? []).map((line) => `- ${line}`).join('\n');

type Texts = Record<OrderNotificationKind, { subject: string; body: (i: OrderNotificationInput) => string }>;

const texts: Record<LetterLanguage, Texts> = {
  en: {
    confirmed: {
      subject: 'Order confirmation',
      body: (i) =>
        `Dear ${i.customerName},\n\nThank you for your order ${i.orderReference}. We expect to dispatch it on ${i.expectedDispatchDate}.\n`,
    },
    dispatched: {
      subject: 'Your order has been dispatched',
      body: (i) =>
        `Dear ${i.customerName},\n\nYour order ${i.orderReference} has left our warehouse. Tracking number: ${i.trackingNumber ?? '-'}.\n`,
    },
    cancelled: {
      subject: 'Your order has been cancelled',
      body: (i) =>
        `Dear ${i.customerName},\n\nYour order ${i.orderReference} has been cancelled. Reason: ${i.reason ?? '-'}.\nNothing will be delivered or invoiced.\n`,
    },
    backordered: {
      subject: 'Part of your order is on backorder',
      body: (i) =>
        `Dear ${i.customerName},\n\nThese items of your order ${i.orderReference} are not in stock yet:\n${items(i)}\nWe will ship them as soon as they arrive.\n`,
    },
  },
  nl: {
    confirmed: {
      subject: 'Orderbevestiging',
      body: (i) =>
        `Geachte ${i.customerName},\n\nHartelijk dank voor uw bestelling ${i.orderReference}. Wij verwachten deze op ${i.expectedDispatchDate} te verzenden.\n`,
    },
    dispatched: {
      subject: 'Uw bestelling is verzonden',
      body: (i) =>
        `Geachte ${i.customerName},\n\nUw bestelling ${i.orderReference} heeft ons magazijn verlaten. Track-and-tracecode: ${i.trackingNumber ?? '-'}.\n`,
    },
    cancelled: {
      subject: 'Uw bestelling is geannuleerd',
      body: (i) =>
        `Geachte ${i.customerName},\n\nUw bestelling ${i.orderReference} is geannuleerd. Reden: ${i.reason ?? '-'}.\nEr wordt niets geleverd of gefactureerd.\n`,
    },
    backordered: {
      subject: 'Een deel van uw bestelling is in nalevering',
      body: (i) =>
        `Geachte ${i.customerName},\n\nDeze artikelen van uw bestelling ${i.orderReference} zijn nog niet op voorraad:\n${items(i)}\nWij verzenden ze zodra ze binnen zijn.\n`,
    },
  },
  de: {
    confirmed: {
      subject: 'Auftragsbestätigung',
      body: (i) =>
        `Sehr geehrte Damen und Herren (${i.customerName}),\n\nvielen Dank für Ihre Bestellung ${i.orderReference}. Der voraussichtliche Versandtermin ist der ${i.expectedDispatchDate}.\n`,
    },
    dispatched: {
      subject: 'Ihre Bestellung wurde versandt',
      body: (i) =>
        `Sehr geehrte Damen und Herren (${i.customerName}),\n\nIhre Bestellung ${i.orderReference} hat unser Lager verlassen. Sendungsnummer: ${i.trackingNumber ?? '-'}.\n`,
    },
    cancelled: {
      subject: 'Ihre Bestellung wurde storniert',
      body: (i) =>
        `Sehr geehrte Damen und Herren (${i.customerName}),\n\nIhre Bestellung ${i.orderReference} wurde storniert. Grund: ${i.reason ?? '-'}.\nEs erfolgt keine Lieferung und keine Rechnung.\n`,
    },
    backordered: {
      subject: 'Teile Ihrer Bestellung sind im Rückstand',
      body: (i) =>
        `Sehr geehrte Damen und Herren (${i.customerName}),\n\nfolgende Artikel Ihrer Bestellung ${i.orderReference} sind noch nicht vorrätig:\n${items(i)}\nWir liefern sie, sobald sie eingetroffen sind.\n`,
    },
  },
  nb: {
    confirmed: {
      subject: 'Ordrebekreftelse',
      body: (i) =>
        `Til ${i.customerName},\n\nTakk for bestillingen ${i.orderReference}. Vi forventer å sende den ${i.expectedDispatchDate}.\n`,
    },
    dispatched: {
      subject: 'Bestillingen din er sendt',
      body: (i) =>
        `Til ${i.customerName},\n\nBestillingen ${i.orderReference} har forlatt lageret vårt. Sporingsnummer: ${i.trackingNumber ?? '-'}.\n`,
    },
    cancelled: {
      subject: 'Bestillingen din er kansellert',
      body: (i) =>
        `Til ${i.customerName},\n\nBestillingen ${i.orderReference} er kansellert. Årsak: ${i.reason ?? '-'}.\nIngenting blir levert eller fakturert.\n`,
    },
    backordered: {
      subject: 'Deler av bestillingen er restordre',
      body: (i) =>
        `Til ${i.customerName},\n\nDisse varene i bestillingen ${i.orderReference} er ikke på lager ennå:\n${items(i)}\nVi sender dem så snart de kommer inn.\n`,
    },
  },
};

export function orderNotification(input: OrderNotificationInput): { subject: string; text: string } {
  const t = texts[isLetterLanguage(input.language) ? input.language : 'en'][input.kind];
  return { subject: `${t.subject}: ${input.orderReference}`, text: t.body(input) };
}

/** The next working day (Monday to Friday) after `date`: warehouses pick today's orders for tomorrow's dispatch. */
export function expectedDispatchDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) throw new RangeError(`date must be YYYY-MM-DD, got ${date}`);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}
