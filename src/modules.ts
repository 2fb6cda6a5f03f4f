import { authModule } from './auth/index.js';
import { botModule } from './bot/index.js';
import { apiChannel } from './channels/api/index.js';
import type { Channel } from './channels/index.js';
import { channelsModule } from './channels/index.js';
import { whatsappChannel } from './channels/whatsapp/index.js';
import { WIDGET_CHANNEL, widgetChannel } from './channels/widget/index.js';
import { copilotModule } from './copilot/index.js';
import { editorModule } from './editor/index.js';
import { inboxModule } from './inbox/index.js';
import { type KnowledgeBase, knowledgeModule } from './knowledge/index.js';
import { knowledgeIndexSync } from './knowledge/index-sync.js';
import { whatsappConfigured } from './platform/config.js';
import type { Platform } from './platform/module.js';
import { reportingModule } from './reporting/index.js';
import { surveysModule } from './surveys/index.js';
import { webModule } from './web/index.js';

export interface ServiceOptions {
  /** Where the first admin's generated password and the first load's progress are shown. */
  print?: (text: string) => void;
  /** Channels beyond the REST API (tests add a fake one). */
  channels?: Channel[];
  /** A knowledge base built by the caller (the bench's synthetic ones). */
  kb?: KnowledgeBase;
}

/**
 * Every module of the service, in the order data flows: channel → inbox → bot (reading the
 * knowledge base) → events → delivery and live feeds. Each is built from the platform and the
 * modules upstream of it, never the other way.
 */
export function buildService(options: ServiceOptions = {}) {
  return (platform: Platform) => {
    const auth = authModule(platform, { print: options.print });
    const knowledge = knowledgeModule(platform, { kb: options.kb, print: options.print });
    const bot = botModule(platform, knowledge.kb);
    // The REST response and the widget's live feed carry the bot's reply themselves.
    const inbox = inboxModule(platform, bot.decide, { deliveredOnStore: ['api', WIDGET_CHANNEL] });
    // Before the channels: a WhatsApp reply may be a survey answer.
    const feedback = surveysModule(platform, inbox);
    const channels = channelsModule(platform, [
      apiChannel(platform, inbox),
      widgetChannel(platform, inbox),
      ...(whatsappConfigured(platform.config) ? [whatsappChannel(platform, inbox, feedback.surveys)] : []),
      ...(options.channels ?? []),
    ]);
    return {
      kb: knowledge.kb,
      /** The knowledge-base folder's loader (npm run chat runs it on the service's data folder). */
      knowledgeFolder: knowledge.folder,
      decide: bot.decide,
      inbox,
      surveys: feedback.surveys,
      modules: [
        auth,
        knowledge.module,
        knowledgeIndexSync(platform, knowledge.kb),
        bot.module,
        inbox.module,
        feedback.module,
        channels,
        copilotModule(platform, inbox, bot.draft),
        reportingModule(platform),
        editorModule(platform, knowledge.kb),
        webModule(platform),
      ],
    };
  };
}

export type Service = ReturnType<ReturnType<typeof buildService>>;
