import { register } from 'node:module';

register('./resolve_jwt_doctor.mjs', import.meta.url);
