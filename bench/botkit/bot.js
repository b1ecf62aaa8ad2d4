// The Botkit peer of supportd's benchmarks (BENCHMARKS.md): the four-turn
// exchange dialog of dialog/testdata/transcripts/exchange_out_of_stock_en.txt
// as a BotkitConversation, served by Botkit's web adapter (WebSocket), with
// Botkit's in-memory storage.
//
// It speaks the harness's child protocol, like `supportbench -serve`: prints
// "addr HOST:PORT" once it listens on loopback, answers each "stats" line on
// stdin with a JSON line {rss, heap_inuse, cpu_ns}, and exits when stdin
// closes. Run it with node --expose-gc, so that stats can collect first.
'use strict';

const http = require('http');

// Botkit listens on process.env.PORT on every interface; the benchmark
// listens on loopback only, on a free port.
const listen = http.Server.prototype.listen;
http.Server.prototype.listen = function (port, cb) {
  return listen.call(this, port, '127.0.0.1', cb);
};
process.env.PORT = '0';

const { Botkit, BotkitConversation } = require('botkit');
const { WebAdapter } = require('botbuilder-adapter-web');

const adapter = new WebAdapter({});
const controller = new Botkit({ adapter, disable_console: true });

let tickets = 1000;
const products = {
  'TV-55X': { name: '55-inch smart TV', price: 3999 },
  'SB-200': { name: 'Soundbar', price: 1299 },
  'HP-30': { name: 'Wireless noise-cancelling headphones', price: 899 },
};
const original = { model: 'TV-65X', name: '65-inch smart TV', price: 5999 };

const exchange = new BotkitConversation('exchange', controller);
exchange.say("OK, let's look at a return or exchange.");
exchange.ask({
  text: 'Please give your proof of purchase: the order number, or upload a photo of the invoice or receipt.',
  quick_replies: [{ title: 'I have no proof', payload: 'no proof' }],
}, async (answer, convo) => {
  const m = /\d{6,}/.exec(answer || '');
  convo.setVar('proof', m ? 'order ' + m[0] : answer);
}, 'proof');
exchange.say(`${original.model} (${original.name}) is out of stock: you can exchange it for another model, settling the price difference either way.`);
exchange.ask({
  text: 'Which model would you like instead?',
  quick_replies: Object.entries(products).map(([model, p]) => ({ title: `${model} (${p.name}) ${p.price} CNY`, payload: model })),
}, async (answer, convo) => {
  const model = Object.keys(products).find((k) => (answer || '').toUpperCase().includes(k)) || 'TV-55X';
  const diff = original.price - products[model].price;
  convo.setVar('to', model);
  convo.setVar('toName', products[model].name);
  convo.setVar('diff', Math.abs(diff));
  convo.setVar('direction', diff >= 0 ? 'we refund the difference of' : 'you pay the difference of');
}, 'to');
exchange.say('Exchanging to {{vars.to}} ({{vars.toName}}), {{vars.direction}} {{vars.diff}} CNY.');
exchange.ask({
  text: 'Please check:\n- Model: TV-65X (65-inch smart TV)\n- Purchased: 15 Nov 2026\n- Fault: {{vars.fault}}\n- Proof of purchase: {{vars.proof}}\n- Request: Exchange\n- Exchange to: {{vars.to}} ({{vars.toName}})\nIs this correct?',
  quick_replies: [{ title: 'Yes', payload: 'yes' }, { title: 'No', payload: 'no' }],
}, [
  {
    pattern: /^(yes|y|correct|ok)\b/i,
    handler: async (answer, convo) => {
      tickets++;
      convo.setVar('ticket', 'T-' + tickets);
      await convo.gotoThread('registered');
    },
  },
  {
    default: true,
    handler: async (answer, convo) => { await convo.gotoThread('restart'); },
  },
], 'confirm');
exchange.addMessage('Your request (Exchange) is registered as ticket {{vars.ticket}}. It goes ahead once an inspection confirms the fault; you will hear the result by Mon 30 Nov, 18:00.', 'registered');
exchange.addMessage('Anything else I can help with?', 'registered');
exchange.addMessage('Let us start again: what would you like to do?', 'restart');
controller.addDialog(exchange);

controller.hears(/exchange|return/i, 'message', async (bot, message) => {
  await bot.beginDialog('exchange', { fault: message.text });
});
controller.on('message', async (bot) => {
  await bot.reply('Sorry, I did not understand.');
});

controller.ready(() => {
  const { port } = controller.http.address();
  process.stdout.write(`addr 127.0.0.1:${port}\n`);
});

let buffered = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  buffered += chunk;
  let i;
  while ((i = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, i).trim();
    buffered = buffered.slice(i + 1);
    if (line === 'stats') {
      if (global.gc) { global.gc(); global.gc(); }
      const m = process.memoryUsage();
      const c = process.cpuUsage();
      process.stdout.write(JSON.stringify({ rss: m.rss, heap_inuse: m.heapUsed, stack_inuse: 0, goroutines: 0, cpu_ns: (c.user + c.system) * 1000 }) + '\n');
    }
  }
});
process.stdin.on('end', () => process.exit(0));
