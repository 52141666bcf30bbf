// Side-effect module: registers OpenClaw's live views with the verify engine.
import { registerOpenclawProviders } from './provider';

registerOpenclawProviders();
