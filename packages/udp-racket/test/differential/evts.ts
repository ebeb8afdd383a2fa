import { group } from './harness.js';
const { list } = group('evts');
export default list;
