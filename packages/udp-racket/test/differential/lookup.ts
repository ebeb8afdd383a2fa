import { group } from './harness.js';
const { list } = group('lookup');
export default list;
