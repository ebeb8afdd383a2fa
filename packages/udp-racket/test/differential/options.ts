import { group } from './harness.js';
const { list } = group('options');
export default list;
